/** The console API of API keys and the Portal REST API (issue #5); merged into shared/contract.ts. */
import { z } from 'zod';
import { mutation, query } from './contract-kit.ts';
import { Id } from './model/organization.ts';
import { ApiKeyRow, CreatedApiKey, NewApiKey, RestImportResult, RestOrganization, RestUser } from './model/api-keys.ts';

/**
 * What every `api.*` method takes: the key exactly as presented (Authorization: Bearer ...). The
 * core checks it (unknown, expired, revoked: UNAUTHORIZED) and its role (FORBIDDEN) BEFORE it
 * looks at the request, so `body` / `query` are parsed by the handler, after authentication.
 */
const PresentedKey = z.string().max(512);
const Language = z.enum(['en', 'es', 'pt']).default('en');

export const apiKeysContract = {
  // --- the console's API Keys tab ---------------------------------------------------------------
  'apiKeys.list': query(
    z.object({ orgId: Id }),
    z.object({ items: z.array(ApiKeyRow) }),
  ),
  /** Create a key: the whole key comes back once and is kept in the OS keychain; the database keeps its hash. */
  'apiKeys.create': mutation(
    NewApiKey,
    CreatedApiKey,
  ),
  'apiKeys.revoke': mutation(
    z.object({ id: Id }),
    ApiKeyRow,
  ),

  // --- the Portal REST API (/api/v1), served by main/portal/rest-api as a thin HTTP adapter --------
  /** Check a key for one operation: what the adapter asks before it accepts an upload. */
  'api.authorize': query(
    z.object({ key: PresentedKey, operation: z.enum(['organizations.read', 'users.read', 'users.write', 'users.import']) }),
    z.object({ keyId: z.string(), orgId: z.string() }),
  ),
  'api.organizations': query(
    z.object({ key: PresentedKey }),
    z.object({ items: z.array(RestOrganization) }),
  ),
  'api.usersList': query(
    z.object({ key: PresentedKey, query: z.unknown() }),
    z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), items: z.array(RestUser) }),
  ),
  'api.usersGet': query(
    z.object({ key: PresentedKey, id: z.string().max(100) }),
    RestUser,
  ),
  'api.usersCreate': mutation(
    z.object({ key: PresentedKey, body: z.unknown() }),
    RestUser,
  ),
  'api.usersUpdate': mutation(
    z.object({ key: PresentedKey, id: z.string().max(100), body: z.unknown() }),
    RestUser,
  ),
  /**
   * Import an uploaded file (files.begin/append) with the users importer. A query like
   * users.importStart: the importer takes the core's writer itself for its classify and apply phases.
   */
  'api.usersImport': query(
    z.object({
      key: PresentedKey,
      organizationId: Id.optional(),
      fileId: z.string().max(100),
      filename: z.string().min(1).max(255),
      options: z.object({ update: z.boolean(), deactivate: z.boolean(), restore: z.boolean(), dryRun: z.boolean() }),
      language: Language,
    }),
    RestImportResult,
  ),
} as const;
