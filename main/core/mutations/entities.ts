/**
 * The entities the mutation pipeline writes: their table, their fields (API name -> column) and how
 * each field is treated in `changes` and `audit`. Only main/core/mutations writes these tables.
 */
import { fold } from '../../../shared/rules/text.ts';

export type FieldKind =
  | 'text'
  | 'bool' // stored 0/1
  | 'json' // stored as JSON text
  | 'binary' // bytes: never copied into changes or audit; a sibling 'json' field describes them
  | 'secret'; // redacted in changes and audit

export interface EntitySpec {
  /** Name in changes/audit (target_type). */
  type: string;
  table: string;
  /** Primary key column; its API name is always `id`. */
  key: string;
  fields: Record<string, { column: string; kind: FieldKind }>;
  /** Columns computed from a field on every write (search keys): column -> source field + function. */
  derived?: Record<string, { from: string; compute: (value: unknown) => unknown }>;
  /** Which organization a row belongs to (for changes.org_id and audit.org_id). */
  orgIdOf(row: Record<string, unknown>): string | null;
  label(row: Record<string, unknown>): string;
}

const f = (column: string, kind: FieldKind = 'text') => ({ column, kind });

export const ENTITIES = {
  organization: {
    type: 'organization',
    table: 'organizations',
    key: 'id',
    fields: {
      type: f('type'),
      parentId: f('parent_id'),
      name: f('name'),
      email: f('email'),
      language: f('language'),
      country: f('country'),
      sector: f('sector'),
      description: f('description'),
      isSample: f('is_sample', 'bool'),
      emailPasswordEnabled: f('email_password_enabled', 'bool'),
    },
    derived: { name_fold: { from: 'name', compute: (v) => fold(String(v)) } },
    orgIdOf: (row) => row.id as string,
    label: (row) => String(row.name ?? ''),
  },
  branding: {
    type: 'branding',
    table: 'branding',
    key: 'org_id',
    fields: {
      logo: f('logo', 'json'),
      logoData: f('logo_data', 'binary'),
      cover: f('cover', 'json'),
      coverData: f('cover_data', 'binary'),
      palette: f('palette', 'json'),
    },
    orgIdOf: (row) => row.id as string,
    label: () => 'Branding',
  },
  user: {
    type: 'user',
    table: 'users',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      name: f('name'),
      email: f('email'),
      roleId: f('role_id'),
      status: f('status'),
      source: f('source'),
      emailLoginEnabled: f('email_login_enabled', 'bool'),
      lastLoginAt: f('last_login_at'),
    },
    derived: { email_fold: { from: 'email', compute: (v) => String(v).toLowerCase() } },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${String(row.name ?? '')} <${String(row.email ?? '')}>`,
  },
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
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${String(row.productType ?? '')} ${String(row.code ?? '')}`.trim(),
  },
} satisfies Record<string, EntitySpec>;

export type EntityName = keyof typeof ENTITIES;
