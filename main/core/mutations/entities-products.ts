/** The entities of Products, agent settings and consumption (issue #5), merged into ENTITIES (entities.ts). */
import { fold } from '../../../shared/rules/text.ts';
import { f, type EntitySpec } from './entity-spec.ts';

export const productsEntities = {
  product: {
    type: 'product',
    table: 'products',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      environment: f('environment'),
      productType: f('product_type'),
      code: f('code'),
      region: f('region'),
      state: f('state'),
      serviceNowEnvironment: f('servicenow_environment'),
      // Only the last four characters: the key is in the OS keychain (product-license:<id>).
      licenseKeyMasked: f('license_key_masked'),
      // A new random reference per key set: a new key with the same last four still shows as a change.
      licenseKeyRef: f('license_key_ref'),
      // Bumped by each reveal ("copy"), so every reveal is in changes and audit: who, when.
      licenseKeyReveals: f('license_key_reveals'),
      licenseKeyRevealedAt: f('license_key_revealed_at'),
      digitalActivity: f('digital_activity', 'bool'),
      agentSettings: f('agent_settings', 'json'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${String(row.productType ?? '')} ${String(row.code ?? '')}`.trim(),
  },
  reportingGroup: {
    type: 'reportingGroup',
    table: 'product_reporting_groups',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      productId: f('product_id'),
      name: f('name'),
      overrides: f('overrides', 'json'),
    },
    derived: { name_fold: { from: 'name', compute: (v) => fold(String(v)) } },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.name ?? ''),
  },
  consumption: {
    type: 'consumption',
    table: 'product_consumption',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      productId: f('product_id'),
      day: f('day'),
      figure: f('figure'),
      source: f('source'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${String(row.day ?? '')}: ${String(row.figure ?? '')}`,
  },
} satisfies Record<string, EntitySpec>;
