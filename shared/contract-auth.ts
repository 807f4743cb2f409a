/**
 * Authentication: the organization's email/password switch, per-user actions and detail, SMTP
 * settings and the mail outbox (console), and the methods the Portal's end-user pages call
 * (`portal.*`: they carry the visitor's session token and IP; the Portal server is their only caller).
 */
import { z } from 'zod';
import { Id } from './model/organization.ts';
import { UserIds } from './model/user.ts';
import {
  AuthDetail, ClientIp, CredentialsRemoved, MAIL_STATUSES, MailSettingsInput, MailSettingsView, OrgAuthSettings, OutboxItem,
  PortalNext, PortalOrg, PortalProfile, PortalSession, Token, LINK_PURPOSES,
} from './model/auth.ts';
import { Ok, mutation, query } from './contract-kit.ts';

const Code = z.string().trim().max(40);
const Password = z.string().max(1024);

export const authContract = {
  /** The organization's email/password switch, as this organization sees it (sub-organizations inherit). */
  'auth.orgSettings': query(
    z.object({ orgId: Id }),
    OrgAuthSettings,
  ),
  /**
   * Switch email/password sign-in on or off for a main organization and its tree. Switching off
   * needs `confirm` equal to the organization's name and deletes every credential of the tree
   * (passwords, authenticator secrets, recovery codes, pending links, sessions); switching back
   * on restores none of them.
   */
  'auth.setEmailPassword': mutation(
    z.object({ orgId: Id, enabled: z.boolean(), confirm: z.string().max(200).optional() }),
    OrgAuthSettings.extend({ removed: CredentialsRemoved.nullable() }),
  ),
  /** Email a new one-time link (reset, or welcome when no password was set yet) to users with email login on. */
  'users.resendReset': mutation(
    z.object({ ids: UserIds }),
    z.object({ queued: z.number().int(), skipped: z.number().int() }),
  ),
  /** Forget the users' authenticator apps and recovery codes: they enrol again at their next sign-in. */
  'users.resetTwoFactor': mutation(
    z.object({ ids: UserIds }),
    z.object({ reset: z.number().int() }),
  ),
  /** Allow (or stop) a six-digit code by email as a second step, for users who lost their other methods. */
  'users.setEmailCode': mutation(
    z.object({ ids: UserIds, enabled: z.boolean() }),
    z.object({ changed: z.number().int() }),
  ),
  'users.authDetail': query(
    z.object({ id: Id }),
    AuthDetail,
  ),

  'mail.settings.get': query(
    z.object({}),
    MailSettingsView,
  ),
  'mail.settings.set': mutation(
    MailSettingsInput,
    MailSettingsView,
  ),
  'mail.outbox.list': query(
    z.object({
      status: z.enum(MAIL_STATUSES).optional(),
      orgId: Id.optional(),
      /** Messages older than this one (keyset pagination, newest first). */
      before: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ items: z.array(OutboxItem), nextBefore: z.string().nullable() }),
  ),
  /** Try a queued or failed message again now. */
  'mail.outbox.retry': mutation(
    z.object({ id: Id }),
    OutboxItem,
  ),

  // ---- called by the Portal's pages ----
  'portal.link': query(
    z.object({ token: Token }),
    z.object({ purpose: z.enum(LINK_PURPOSES), email: z.string(), name: z.string(), org: PortalOrg }),
  ),
  'portal.setPassword': mutation(
    z.object({ token: Token, password: Password, ip: ClientIp }),
    z.object({ sessionToken: z.string(), next: PortalNext }),
  ),
  'portal.signIn': mutation(
    z.object({ email: z.string().trim().max(254), password: Password, ip: ClientIp }),
    z.object({ sessionToken: z.string(), next: PortalNext }),
  ),
  'portal.session': query(
    z.object({ sessionToken: Token }),
    PortalSession,
  ),
  'portal.enrolStart': mutation(
    z.object({ sessionToken: Token }),
    z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() }),
  ),
  'portal.enrolFinish': mutation(
    z.object({ sessionToken: Token, code: Code, ip: ClientIp }),
    z.object({ recoveryCode: z.string(), sessionToken: z.string() }),
  ),
  /** The second step of a sign-in: a six-digit code, or the recovery code (which is then replaced). */
  'portal.verify': mutation(
    z.object({ sessionToken: Token, code: Code, ip: ClientIp }),
    z.object({ method: z.enum(['totp', 'recovery', 'email']), newRecoveryCode: z.string().nullable(), sessionToken: z.string() }),
  ),
  /** Email a six-digit code to a user who may use this method (enabled per user), for the second step. */
  'portal.sendEmailCode': mutation(
    z.object({ sessionToken: Token, ip: ClientIp }),
    z.object({ sentTo: z.string() }),
  ),
  'portal.profile': query(
    z.object({ sessionToken: Token }),
    PortalProfile,
  ),
  'portal.regenerateRecovery': mutation(
    z.object({ sessionToken: Token }),
    z.object({ recoveryCode: z.string() }),
  ),
  /** From the profile: forget my authenticator and recovery code; I enrol again at my next sign-in. */
  'portal.resetOwnTwoFactor': mutation(
    z.object({ sessionToken: Token }),
    Ok,
  ),
  /** From the profile: email me a link to choose a new password. */
  'portal.sendOwnReset': mutation(
    z.object({ sessionToken: Token }),
    z.object({ sentTo: z.string() }),
  ),
  'portal.signOut': mutation(
    z.object({ sessionToken: Token }),
    Ok,
  ),
} as const;
