/** The entities of Microservices, Reports and Modules settings (issue #5), merged into ENTITIES (entities.ts). */
import { fold } from '../../../shared/rules/text.ts';
import { f, type EntitySpec } from './entity-spec.ts';

const nameFold = (from: string) => ({ from, compute: (v: unknown) => fold(String(v)) });

export const orgSettingsEntities = {
  orgSettings: {
    type: 'orgSettings',
    table: 'org_settings',
    key: 'org_id',
    fields: {
      microservicesFolder: f('microservices_folder'),
      microserviceCategoriesEnabled: f('microservice_categories', 'bool'),
      reportCategoriesEnabled: f('report_categories', 'bool'),
    },
    orgIdOf: (row) => row.id as string,
    label: () => 'Organization settings',
  },
  microserviceCategory: {
    type: 'microserviceCategory',
    table: 'microservice_categories',
    key: 'id',
    fields: { orgId: f('org_id'), name: f('name') },
    derived: { name_fold: nameFold('name') },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.name ?? ''),
  },
  microservice: {
    type: 'microservice',
    table: 'microservices',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      name: f('name'),
      description: f('description'),
      categoryId: f('category_id'),
      categoryText: f('category_text'),
    },
    derived: { name_fold: nameFold('name') },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.name ?? ''),
  },
  reportCategory: {
    type: 'reportCategory',
    table: 'report_categories',
    key: 'id',
    fields: { orgId: f('org_id'), name: f('name'), description: f('description'), queries: f('queries', 'json') },
    derived: { name_fold: nameFold('name') },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.name ?? ''),
  },
  portalModule: {
    type: 'portalModule',
    table: 'portal_modules',
    key: 'id',
    fields: { orgId: f('org_id'), label: f('label'), url: f('url'), visibility: f('visibility'), custom: f('custom', 'bool') },
    derived: { label_fold: nameFold('label') },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => String(row.label ?? ''),
  },
} satisfies Record<string, EntitySpec>;
