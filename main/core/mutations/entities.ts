/**
 * The entities the mutation pipeline writes: their table, their fields (API name -> column) and how
 * each field is treated in `changes` and `audit`. Only main/core/mutations writes these tables.
 */
import { fold } from '../../../shared/rules/text.ts';

import { f, type EntitySpec } from './entity-spec.ts';
import { identityEntities } from './entities-identity.ts';
import { scimEntities } from './entities-scim.ts';
import { orgSettingsEntities } from './entities-org-settings.ts';
import { productsEntities } from './entities-products.ts';
import { apiKeysEntities } from './entities-api-keys.ts';
import { directoryEntities } from './entities-directory.ts';
import { syncEntities } from './entities-sync.ts';
export type { EntitySpec, FieldKind } from './entity-spec.ts';

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
      emailCodeEnabled: f('email_code_enabled', 'bool'),
      lastLoginAt: f('last_login_at'),
    },
    derived: { email_fold: { from: 'email', compute: (v) => String(v).toLowerCase() } },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${String(row.name ?? '')} <${String(row.email ?? '')}>`,
    logSql: { orgId: 'org_id', label: "coalesce(name, '') || ' <' || coalesce(email, '') || '>'" },
  },
  // product, reportingGroup, consumption: entities-products.ts
  // Email/password sign-in (main/core/auth). Hashes and secrets are 'secret': redacted in changes and audit.
  credential: {
    type: 'credential',
    table: 'auth_credentials',
    key: 'user_id',
    fields: {
      orgId: f('org_id'),
      passwordHash: f('password_hash', 'secret'),
      passwordChangedAt: f('password_changed_at'),
      failedAttempts: f('failed_attempts'),
      lockedUntil: f('locked_until'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: () => 'Password',
  },
  totp: {
    type: 'totp',
    table: 'auth_totp',
    key: 'user_id',
    fields: {
      orgId: f('org_id'),
      secret: f('secret', 'secret'),
      enrolledAt: f('enrolled_at'),
      lastUsedStep: f('last_used_step'),
      lastUsedAt: f('last_used_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: () => 'Authenticator app',
  },
  emailCode: {
    type: 'emailCode',
    table: 'auth_email_codes',
    key: 'user_id',
    fields: {
      orgId: f('org_id'),
      codeHash: f('code_hash', 'secret'),
      expiresAt: f('expires_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: () => 'Email verification code',
  },
  recoveryCode: {
    type: 'recoveryCode',
    table: 'auth_recovery_codes',
    key: 'user_id',
    fields: {
      orgId: f('org_id'),
      codeHash: f('code_hash', 'secret'),
      usedAt: f('used_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: () => 'Recovery code',
  },
  loginLink: {
    type: 'loginLink',
    table: 'auth_login_links',
    key: 'id',
    fields: {
      userId: f('user_id'),
      orgId: f('org_id'),
      tokenHash: f('token_hash', 'secret'),
      purpose: f('purpose'),
      expiresAt: f('expires_at'),
      usedAt: f('used_at'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `${String(row.purpose ?? '')} link`,
  },
  session: {
    type: 'session',
    table: 'auth_sessions',
    key: 'id',
    fields: {
      userId: f('user_id'),
      orgId: f('org_id'),
      tokenHash: f('token_hash', 'secret'),
      stage: f('stage'),
      expiresAt: f('expires_at'),
      ip: f('ip'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: () => 'Portal session',
  },
  signIn: {
    type: 'signIn',
    table: 'auth_sign_ins',
    key: 'id',
    fields: {
      userId: f('user_id'),
      orgId: f('org_id'),
      method: f('method'),
      at: f('at'),
      ip: f('ip'),
      success: f('success', 'bool'),
      reason: f('reason'),
    },
    orgIdOf: (row) => row.orgId as string,
    label: (row) => `Sign-in (${String(row.method ?? '')})`,
  },
  mailMessage: {
    type: 'mailMessage',
    table: 'mail_outbox',
    key: 'id',
    fields: {
      orgId: f('org_id'),
      userId: f('user_id'),
      purpose: f('purpose'),
      to: f('to_address'),
      subject: f('subject'),
      // The bodies may carry a one-time link: never copied into changes or audit.
      html: f('html', 'secret'),
      text: f('text_body', 'secret'),
      status: f('status'),
      attempts: f('attempts'),
      nextAttemptAt: f('next_attempt_at'),
      lastError: f('last_error'),
      sentAt: f('sent_at'),
    },
    orgIdOf: (row) => (row.orgId as string | null) ?? null,
    label: (row) => `${String(row.subject ?? '')} -> ${String(row.to ?? '')}`,
  },
  mailSettings: {
    type: 'mailSettings',
    table: 'mail_settings',
    key: 'id',
    fields: {
      host: f('host'),
      port: f('port'),
      security: f('security'),
      username: f('username'),
      fromAddress: f('from_address'),
      fromName: f('from_name'),
      portalBaseUrl: f('portal_base_url'),
      passwordSet: f('password_set', 'bool'),
    },
    orgIdOf: () => null,
    label: () => 'SMTP settings',
  },
  ...identityEntities,
  ...scimEntities,
  ...orgSettingsEntities,
  ...productsEntities,
  ...apiKeysEntities,
  ...directoryEntities,
  ...syncEntities,
} satisfies Record<string, EntitySpec>;

export type EntityName = keyof typeof ENTITIES;
