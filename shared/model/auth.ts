/**
 * Email/password sign-in with an authenticator app: what the console shows about it (organization
 * switch, per-user detail, SMTP settings, mail outbox) and what the Portal's pages exchange with
 * the core. No hash or secret ever appears in these shapes.
 */
import { z } from 'zod';
import { Palette } from './branding.ts';

export const LINK_PURPOSES = ['welcome', 'reset'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export { LINK_TTL_HOURS } from './auth-values.ts';

export const SIGN_IN_METHODS = ['password', 'totp', 'recovery', 'email', 'saml'] as const;
/** An emailed verification code lives this long. */
export const EMAIL_CODE_TTL_MINUTES = 10;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

export const OrgAuthSettings = z.object({
  orgId: z.string(),
  /** Where the switch lives: the main organization (client, or the partner for its own staff). */
  mainOrgId: z.string(),
  mainOrgName: z.string(),
  /** True for a sub-organization: it shows the main organization's setting read-only. */
  inherited: z.boolean(),
  emailPasswordEnabled: z.boolean(),
  /** Users of the main organization's tree with email login on, with a password, with an authenticator. */
  users: z.object({ emailLogin: z.number().int(), withPassword: z.number().int(), withTwoFactor: z.number().int() }),
});
export type OrgAuthSettings = z.output<typeof OrgAuthSettings>;

export const CredentialsRemoved = z.object({
  passwords: z.number().int(),
  authenticators: z.number().int(),
  recoveryCodes: z.number().int(),
  links: z.number().int(),
  sessions: z.number().int(),
  usersSwitchedOff: z.number().int(),
  mailsCancelled: z.number().int(),
});

export const SignInRecord = z.object({
  method: z.enum(SIGN_IN_METHODS),
  at: z.string(),
  ip: z.string(),
  success: z.boolean(),
  reason: z.string().nullable(),
});
export type SignInRecord = z.output<typeof SignInRecord>;

/** Everything the console's user card shows about email/password sign-in. */
export const AuthDetail = z.object({
  userId: z.string(),
  emailLoginEnabled: z.boolean(),
  /** A six-digit code by email may be used as the second step. */
  emailCodeEnabled: z.boolean(),
  /** The organization-wide switch (on the main organization). */
  orgEmailPasswordEnabled: z.boolean(),
  password: z.object({ set: z.boolean(), changedAt: z.string().nullable() }),
  lastLoginAt: z.string().nullable(),
  loginCount: z.number().int(),
  lastIp: z.string().nullable(),
  twoFactor: z.object({
    status: z.enum(['none', 'pending', 'enrolled']),
    enrolledAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  }),
  recoveryCode: z.object({ createdAt: z.string(), usedAt: z.string().nullable() }).nullable(),
  failedAttempts: z.number().int(),
  lockedUntil: z.string().nullable(),
  pendingLink: z.object({ purpose: z.enum(LINK_PURPOSES), expiresAt: z.string(), createdAt: z.string() }).nullable(),
  recentSignIns: z.array(SignInRecord),
});
export type AuthDetail = z.output<typeof AuthDetail>;

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;

const BaseUrl = z.string().trim().max(500)
  .refine((v) => { try { return ['http:', 'https:'].includes(new URL(v).protocol); } catch { return false; } }, { error: 'auth.base_url_invalid' })
  .transform((v) => v.replace(/\/+$/, ''));

export const MailSettingsView = z.object({
  host: z.string(),
  port: z.number().int(),
  security: z.enum(SMTP_SECURITY),
  username: z.string(),
  fromAddress: z.string(),
  fromName: z.string(),
  /** Where the Portal's pages are reached from a mailbox: the links in emails start with it. */
  portalBaseUrl: z.string(),
  /** The password itself is in the keychain and never leaves the core. */
  passwordSet: z.boolean(),
  configured: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type MailSettingsView = z.output<typeof MailSettingsView>;

export const MailSettingsInput = z.object({
  host: z.string().trim().max(253, { error: 'auth.smtp_host_invalid' })
    .regex(/^[A-Za-z0-9.:[\]-]*$/, { error: 'auth.smtp_host_invalid' }),
  port: z.number().int().min(1, { error: 'auth.smtp_port_invalid' }).max(65535, { error: 'auth.smtp_port_invalid' }),
  security: z.enum(SMTP_SECURITY),
  username: z.string().trim().max(254),
  fromAddress: z.union([z.literal(''), z.string().trim().email({ error: 'auth.from_invalid' }).max(254)]),
  fromName: z.string().trim().max(100),
  portalBaseUrl: BaseUrl,
  /** A new password; null removes it from the keychain; absent keeps it. */
  password: z.string().max(1024).nullable().optional(),
});

export const MAIL_STATUSES = ['queued', 'sent', 'failed', 'cancelled'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const OutboxItem = z.object({
  id: z.string(),
  orgId: z.string().nullable(),
  userId: z.string().nullable(),
  purpose: z.string(),
  to: z.string(),
  subject: z.string(),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxItem = z.output<typeof OutboxItem>;

// ---- Portal pages <-> core -------------------------------------------------------------------

/** What a page needs to look like the organization: its name, language and colours. */
export const PortalOrg = z.object({ name: z.string(), language: z.enum(['en', 'es', 'pt']), palette: Palette });
export type PortalOrg = z.output<typeof PortalOrg>;

export const PortalNext = z.enum(['enrol', 'verify', 'profile']);

export const PortalSession = z.object({
  user: z.object({ name: z.string(), email: z.string() }),
  org: PortalOrg,
  /** 'password': the password was right, the second factor is still to come; 'full': signed in. */
  stage: z.enum(['password', 'full']),
  twoFactor: z.enum(['none', 'pending', 'enrolled']),
  /** A code by email may be asked for at the second step (enabled per user by an administrator). */
  emailCode: z.boolean(),
});
export type PortalSession = z.output<typeof PortalSession>;

export const PortalProfile = z.object({
  user: z.object({ name: z.string(), email: z.string() }),
  org: PortalOrg,
  methods: z.array(z.object({ method: z.enum(['password', 'totp', 'recovery', 'email']), addedAt: z.string().nullable(), lastUsedAt: z.string().nullable() })),
  passwordChangedAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  lastIp: z.string().nullable(),
});
export type PortalProfile = z.output<typeof PortalProfile>;

export const Token = z.string().min(16).max(200).regex(/^[A-Za-z0-9_-]+$/);
export const ClientIp = z.string().max(100).default('');
