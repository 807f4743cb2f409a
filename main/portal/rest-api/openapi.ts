/**
 * The OpenAPI 3.1 document of the Portal REST API, served at /api/v1/openapi.json. Payload schemas
 * come from the same zod schemas the core validates and answers with (shared/model/api-keys.ts), so
 * the document cannot drift from the code; test/integration/rest-api-openapi.test.ts checks that the
 * routes served and the paths documented are the same set and that real answers validate.
 */
import { z } from 'zod';
import { APP_VERSION } from '../../core/version.ts';
import {
  RestImportResult, RestNewUser, RestOrganization, RestUser, RestUserPatch,
} from '../../../shared/model/api-keys.ts';
import { API_KEY_MAX_DAYS } from '../../../shared/model/api-keys.ts';

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  void $schema; // the document's dialect is JSON Schema 2020-12 already (OpenAPI 3.1)
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});

const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description, content: json(ref('Error')), ...(headers ? { headers } : {}),
});
const RATE_HEADERS = {
  'Retry-After': { description: 'Seconds to wait before the key may call again.', schema: { type: 'integer', minimum: 1 } },
};
const common = {
  401: errorResponse('The key is missing, malformed, unknown, expired or revoked.'),
  429: errorResponse('Too many requests with this key (a token bucket per key).', RATE_HEADERS),
};
const forbidden = errorResponse('The key\'s role may not do this, or the organization is outside the key\'s tree.');
const badInput = errorResponse('The request breaks a rule; `fields` names each field with its messages.');
const notFound = errorResponse('No such user in the key\'s organization tree.');

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** The documented operations, "METHOD /path" -> operation; the router serves exactly these. */
export const restPaths = {
  '/api/v1/openapi.json': {
    get: {
      operationId: 'getOpenApi', summary: 'This document.', security: [],
      responses: { 200: { description: 'The OpenAPI document.', content: json({ type: 'object' }) } },
    },
  },
  '/api/v1/organizations': {
    get: {
      operationId: 'listOrganizations',
      summary: 'The key\'s organization and every organization below it (clients of a partner, sub-organizations).',
      description: 'Any role. The key\'s own organization has parentId null.',
      responses: { 200: { description: 'The organizations.', content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Organization') } }, required: ['items'], additionalProperties: false }) }, ...common },
    },
  },
  '/api/v1/users': {
    get: {
      operationId: 'listUsers', summary: 'Users of one organization of the key\'s tree, by name.', description: 'Any role.',
      parameters: [
        { name: 'organizationId', in: 'query', description: 'Default: the key\'s organization.', schema: { type: 'string', format: 'uuid' } },
        { name: 'includeSubOrganizations', in: 'query', schema: { type: 'boolean', default: false } },
        { name: 'q', in: 'query', description: 'Part of a name or email.', schema: { type: 'string', maxLength: 200 } },
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'deactivated', 'archived'] } },
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
      ],
      responses: { 200: { description: 'A page of users.', content: json(ref('UserPage')) }, 400: badInput, ...common, 403: forbidden },
    },
    post: {
      operationId: 'createUser', summary: 'Create a user.', description: 'Operator or Organization Administrator.',
      requestBody: { required: true, content: json(ref('NewUser')) },
      responses: { 201: { description: 'The user created.', content: json(ref('User')) }, 400: badInput, ...common, 403: forbidden,
        413: errorResponse('The body is larger than 1 MB.'), 415: errorResponse('The body is not application/json.') },
    },
  },
  '/api/v1/users/{id}': {
    get: {
      operationId: 'getUser', summary: 'One user.', description: 'Any role.', parameters: [idParam],
      responses: { 200: { description: 'The user.', content: json(ref('User')) }, ...common, 404: notFound },
    },
    patch: {
      operationId: 'updateUser', summary: 'Change a user\'s name, email, role, organization or status.',
      description: 'Operator or Organization Administrator. With `version`, a field someone else changed since then is a 409 and nothing is written.',
      parameters: [idParam],
      requestBody: { required: true, content: json(ref('UserPatch')) },
      responses: { 200: { description: 'The user as changed.', content: json(ref('User')) }, 400: badInput, ...common, 403: forbidden, 404: notFound,
        409: errorResponse('Someone else changed the same field since `version`.'),
        413: errorResponse('The body is larger than 1 MB.'), 415: errorResponse('The body is not application/json.') },
    },
  },
  '/api/v1/users/import': {
    post: {
      operationId: 'importUsers',
      summary: 'Import users from a spreadsheet (as Flexopus\'s POST /api/v1/users/import).',
      description: 'Operator or Organization Administrator. The file (.xlsx, .csv or .txt; headers Name, Email, Role, Organization, Status, '
        + 'Email login enabled, in English, Spanish or Portuguese) is imported with the console\'s importer; the lists hold the file\'s row '
        + 'numbers (the header is row 1) and `deleted` counts the users deactivated because they were not in the file.',
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object', required: ['file'],
              properties: {
                file: { type: 'string', format: 'binary', description: 'At most 50 MB.' },
                update: { type: 'boolean', default: false, description: 'Change the users the file names that already exist (matched by email).' },
                deactivate: { type: 'boolean', default: false, description: 'Deactivate users that are not in the file.' },
                restore: { type: 'boolean', default: false, description: 'Reactivate deactivated users that are in the file.' },
                dry_run: { type: 'boolean', default: false, description: 'Report what would happen; change nothing.' },
                organization_id: { type: 'string', format: 'uuid', description: 'Default: the key\'s organization.' },
              },
            },
          },
        },
      },
      responses: { 200: { description: 'What the import did (or would do, for a dry run).', content: json(ref('ImportResult')) }, 400: badInput,
        ...common, 403: forbidden, 413: errorResponse('The file is larger than 50 MB.') },
    },
  },
} as const;

export function openApiDocument(): Record<string, unknown> {
  const UserPage = z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), items: z.array(RestUser) });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Orgdesk Portal REST API',
      version: APP_VERSION,
      description: 'Authenticate with an API key created in the console\'s API Keys tab: `Authorization: Bearer odk_...`. '
        + 'A key works for its organization and every organization below it, with its role: Read-only may read; Operator may also '
        + `create, change and import users; Organization Administrator may do everything. Keys last at most ${API_KEY_MAX_DAYS} days.`,
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths: restPaths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An Orgdesk API key (odk_<key id>_<secret>).' } },
      schemas: {
        Organization: schemaOf(RestOrganization, 'output'),
        User: schemaOf(RestUser, 'output'),
        UserPage: schemaOf(UserPage, 'output'),
        NewUser: schemaOf(RestNewUser, 'input'),
        UserPatch: schemaOf(RestUserPatch, 'input'),
        ImportResult: schemaOf(RestImportResult, 'output'),
        Error: schemaOf(ErrorBody, 'output'),
      },
    },
  };
}
