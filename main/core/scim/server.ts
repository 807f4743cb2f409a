/**
 * The SCIM 2.0 service provider (RFC 7643/7644) as one function of the core: an HTTP request in
 * (method, path, query, body text, bearer token), an HTTP response out. The Portal's route group
 * (main/portal/scim) is a thin adapter over it, so the protocol runs beside the data and every
 * write goes through the mutation pipeline (actor "SCIM").
 *
 * Reads answer at once; writes take the core's writer (deps.withWriter) like any mutation.
 */
import { scimPatch } from 'scim-patch';
import type { CoreDeps } from '../handlers/context.ts';
import { newId } from '../ids.ts';
import { verifyScimToken, type ScimTokenGrant } from '../identity/scim-tokens.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import type { Writer } from '../mutations/pipeline.ts';
import {
  ENTERPRISE_ATTRIBUTES, GROUP_ATTRIBUTES, SCIM_LIMITS, URN, USER_ATTRIBUTES,
  type ScimAttribute, type ScimHttpRequest, type ScimHttpResponse, type ScimResourceKind,
} from '../../../shared/model/scim.ts';
import {
  ScimProblem, canonicalResource, displayNameOf, emailOf, errorBody, indexableCondition, isObject, matches, memberIdsOf,
  isExactly, normalisePatch, paging, parseFilter, project, type Json, type JsonObject, type CheckedFilter,
} from '../../../shared/rules/scim.ts';
import { createScimStore, parseResource, type ScimGroupDbRow, type ScimUserDbRow } from './store.ts';
import { SCIM_ACTOR, UNMAPPED_ROLE_ID, createMappingRules } from './provisioning.ts';

const CONTENT_TYPE = 'application/scim+json; charset=utf-8';

interface Ctx {
  grant: ScimTokenGrant;
  base: string;
  params: URLSearchParams;
  req: ScimHttpRequest;
}

const etagOf = (version: number) => `W/"${version}"`;

function respond(status: number, body: Json | null, extra: Record<string, string> = {}): ScimHttpResponse {
  return { status, headers: { ...(body === null ? {} : { 'Content-Type': CONTENT_TYPE }), 'Cache-Control': 'no-store', ...extra }, body: body === null ? '' : JSON.stringify(body) };
}

function problem(p: ScimProblem, extra: Record<string, string> = {}): ScimHttpResponse {
  return respond(p.status, errorBody(p.status, p.message, p.scimType), extra);
}

function parseBody(text: string): Json {
  if (text.trim() === '') throw new ScimProblem(400, 'The request needs a JSON body.', 'invalidSyntax');
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new ScimProblem(400, 'The request body is not valid JSON.', 'invalidSyntax');
  }
}

/** If-Match on a write: a stale version is 412 (RFC 7644 §3.14). */
function checkIfMatch(req: ScimHttpRequest, version: number) {
  if (req.ifMatch === null) return;
  const tags = req.ifMatch.split(',').map((t) => t.trim());
  if (!tags.includes('*') && !tags.includes(etagOf(version)) && !tags.includes(`"${version}"`)) {
    throw new ScimProblem(412, 'The resource changed since the version you have (If-Match).');
  }
}

export function createScimServer(deps: CoreDeps) {
  const { db } = deps;
  const store = createScimStore(db);
  const tree = createOrgTree(db);
  const mapping = createMappingRules(db);

  // ---- resources out ----------------------------------------------------------------------------

  function userResource(row: ScimUserDbRow, base: string, groups: { id: string; display_name: string }[]): JsonObject {
    const stored = parseResource(row);
    const { userName: _u, externalId: _e, active: _a, [URN.enterprise]: ext, ...rest } = stored;
    void _u; void _e; void _a;
    return {
      schemas: ext ? [URN.user, URN.enterprise] : [URN.user],
      id: row.user_id,
      ...(row.external_id ? { externalId: row.external_id } : {}),
      userName: row.user_name,
      ...rest,
      active: row.active === 1,
      ...(ext ? { [URN.enterprise]: ext } : {}),
      groups: groups.map((g) => ({ value: g.id, display: g.display_name, $ref: `${base}/Groups/${g.id}`, type: 'direct' })),
      meta: { resourceType: 'User', created: row.created_at, lastModified: row.updated_at, location: `${base}/Users/${row.user_id}`, version: etagOf(row.version) },
    };
  }

  function groupResource(row: ScimGroupDbRow, base: string, withMembers: boolean): JsonObject {
    return {
      schemas: [URN.group],
      id: row.id,
      ...(row.external_id ? { externalId: row.external_id } : {}),
      displayName: row.display_name,
      ...(withMembers ? { members: store.members(row.id).map((m) => ({ value: m.user_id, display: m.display, $ref: `${base}/Users/${m.user_id}`, type: 'User' })) } : {}),
      meta: { resourceType: 'Group', created: row.created_at, lastModified: row.updated_at, location: `${base}/Groups/${row.id}`, version: etagOf(row.version) },
    };
  }

  const wantsMembers = (ctx: Ctx) => {
    const ex = (ctx.params.get('excludedAttributes') ?? '').toLowerCase().split(',').map((s) => s.trim());
    const inc = ctx.params.get('attributes');
    if (ex.includes('members')) return false;
    return inc === null || inc.toLowerCase().split(',').some((s) => s.trim().startsWith('members'));
  };

  function listResponse(resources: JsonObject[], total: number, startIndex: number): JsonObject {
    return { schemas: [URN.listResponse], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
  }

  // ---- queries ------------------------------------------------------------------------------------

  function listUsers(ctx: Ctx, filterText: string | null, startIndex: number, count: number): ScimHttpResponse {
    const orgId = ctx.grant.orgId;
    const attrs = ctx.params.get('attributes');
    const excluded = ctx.params.get('excludedAttributes');
    const out = (rows: ScimUserDbRow[]) => rows.map((r) => project(userResource(r, ctx.base, store.groupsOfUser(r.user_id)), 'User', attrs, excluded));
    if (filterText === null) {
      const total = store.usersCount(orgId);
      const rows = count === 0 ? [] : store.usersPage(orgId, count, startIndex - 1);
      return respond(200, listResponse(out(rows), total, startIndex));
    }
    const filter = parseFilter(filterText, 'User');
    const narrow = indexableCondition(filter);
    if (narrow && isExactly(filter, narrow)) {
      // The index answers the whole filter (Entra's and Okta's userName eq lookups, prefix pages).
      const { total, rows } = store.userPageByCondition(orgId, narrow, count, startIndex - 1);
      return respond(200, listResponse(out(rows), total, startIndex));
    }
    // Groups are read only when the filter asks about them.
    const needsGroups = /\bgroups\b/i.test(filterText);
    const hits = store.userCandidates(orgId, narrow)
      .filter((r) => matches(filter, userResource(r, ctx.base, needsGroups ? store.groupsOfUser(r.user_id) : [])));
    const page = hits.slice(startIndex - 1, startIndex - 1 + count);
    return respond(200, listResponse(out(page), hits.length, startIndex));
  }

  function listGroups(ctx: Ctx, filterText: string | null, startIndex: number, count: number): ScimHttpResponse {
    const orgId = ctx.grant.orgId;
    const filter: CheckedFilter | null = filterText === null ? null : parseFilter(filterText, 'Group');
    const withMembers = wantsMembers(ctx) || (filterText ?? '').toLowerCase().includes('members');
    const candidates = store.groupCandidates(orgId, filter ? indexableCondition(filter) : null);
    const hits: ScimGroupDbRow[] = [];
    for (const g of candidates) {
      if (!filter || matches(filter, groupResource(g, ctx.base, withMembers))) hits.push(g);
    }
    const page = hits.slice(startIndex - 1, startIndex - 1 + count)
      .map((g) => project(groupResource(g, ctx.base, wantsMembers(ctx)), 'Group', ctx.params.get('attributes'), ctx.params.get('excludedAttributes')));
    return respond(200, listResponse(page, hits.length, startIndex));
  }

  function getUser(ctx: Ctx, id: string): ScimHttpResponse {
    const row = store.user(id, ctx.grant.orgId);
    if (!row) throw new ScimProblem(404, `User ${id} not found.`);
    if (ctx.req.ifNoneMatch !== null && ctx.req.ifNoneMatch.split(',').map((t) => t.trim()).includes(etagOf(row.version))) {
      return respond(304, null, { ETag: etagOf(row.version) });
    }
    const resource = project(userResource(row, ctx.base, store.groupsOfUser(id)), 'User', ctx.params.get('attributes'), ctx.params.get('excludedAttributes'));
    return respond(200, resource, { ETag: etagOf(row.version) });
  }

  function getGroup(ctx: Ctx, id: string): ScimHttpResponse {
    const row = store.group(id, ctx.grant.orgId);
    if (!row) throw new ScimProblem(404, `Group ${id} not found.`);
    if (ctx.req.ifNoneMatch !== null && ctx.req.ifNoneMatch.split(',').map((t) => t.trim()).includes(etagOf(row.version))) {
      return respond(304, null, { ETag: etagOf(row.version) });
    }
    const resource = project(groupResource(row, ctx.base, wantsMembers(ctx)), 'Group', ctx.params.get('attributes'), ctx.params.get('excludedAttributes'));
    return respond(200, resource, { ETag: etagOf(row.version) });
  }

  // ---- user writes --------------------------------------------------------------------------------

  /** The stored form of a user resource (what is echoed back), checked. */
  function userValues(resource: JsonObject) {
    const userName = typeof resource.userName === 'string' ? resource.userName.trim() : '';
    if (!userName) throw new ScimProblem(400, '"userName" is required.', 'invalidValue');
    if (userName.length > 256) throw new ScimProblem(400, '"userName" is longer than 256 characters.', 'invalidValue');
    const active = resource.active === undefined ? true : resource.active === true;
    const externalId = typeof resource.externalId === 'string' ? resource.externalId : null;
    const stored: JsonObject = { ...resource, userName };
    delete stored.externalId;
    delete stored.active;
    return { userName, active, externalId, stored, name: displayNameOf(resource), email: emailOf(resource) };
  }

  function createUser(ctx: Ctx, body: Json): ScimHttpResponse {
    const values = userValues(canonicalResource('User', body));
    const orgId = ctx.grant.orgId;
    const subtree = tree.subtree(orgId);
    const id = deps.mutations.run('scim.users.create', SCIM_ACTOR, (w) => {
      if (store.userByName(orgId, values.userName)) throw new ScimProblem(409, `A user with userName "${values.userName}" already exists.`, 'uniqueness');
      // Matched by userName/UPN (a user who signed in before), then email: linked, not duplicated.
      const existing = store.userBySubjectInTree(values.userName, subtree)
        ?? (values.email ? store.userByEmailInTree(values.email, subtree) : undefined)
        ?? (values.userName.includes('@') ? store.userByEmailInTree(values.userName, subtree) : undefined);
      if (existing && store.isLinked(existing.id)) {
        throw new ScimProblem(409, `The email of "${values.userName}" belongs to a user another SCIM identity manages.`, 'uniqueness');
      }
      const userId = existing?.id ?? newId();
      const status = values.active ? 'active' : 'archived';
      if (existing) {
        w.update('user', userId, { name: values.name || existing.name, ...(values.email ? { email: values.email } : {}), status, source: 'scim' });
      } else {
        w.create('user', userId, { orgId, name: values.name || values.userName, email: values.email, roleId: UNMAPPED_ROLE_ID, status, source: 'scim', emailLoginEnabled: false });
      }
      w.create('scimUser', userId, { orgId, connectionId: ctx.grant.connectionId, userName: values.userName, externalId: values.externalId, active: values.active, resource: values.stored });
      return userId;
    });
    const row = store.user(id, orgId)!;
    const location = `${ctx.base}/Users/${id}`;
    return respond(201, userResource(row, ctx.base, store.groupsOfUser(id)), { Location: location, ETag: etagOf(row.version) });
  }

  /** Replace a user's SCIM resource (PUT, and PATCH once applied). */
  function writeUser(w: Writer, ctx: Ctx, row: ScimUserDbRow, resource: JsonObject): void {
    const values = userValues(resource);
    const orgId = ctx.grant.orgId;
    if (values.userName.toLowerCase() !== row.user_name.toLowerCase()) {
      const other = store.userByName(orgId, values.userName);
      if (other && other.user_id !== row.user_id) throw new ScimProblem(409, `A user with userName "${values.userName}" already exists.`, 'uniqueness');
    }
    const user = store.userBrief(row.user_id)!;
    if (values.email && values.email.toLowerCase() !== user.email.toLowerCase() && store.emailTaken(values.email, tree.subtree(orgId), row.user_id)) {
      throw new ScimProblem(409, `Another user already has the email ${values.email}.`, 'uniqueness');
    }
    w.update('scimUser', row.user_id, { userName: values.userName, externalId: values.externalId, active: values.active, resource: values.stored });
    w.update('user', row.user_id, { name: values.name || user.name, ...(values.email ? { email: values.email } : {}), status: values.active ? 'active' : 'archived' });
  }

  function replaceUser(ctx: Ctx, id: string, body: Json): ScimHttpResponse {
    const resource = canonicalResource('User', body);
    deps.mutations.run('scim.users.replace', SCIM_ACTOR, (w) => {
      const row = store.user(id, ctx.grant.orgId);
      if (!row) throw new ScimProblem(404, `User ${id} not found.`);
      checkIfMatch(ctx.req, row.version);
      writeUser(w, ctx, row, resource);
    });
    return getUser({ ...ctx, params: new URLSearchParams(ctx.req.query) }, id);
  }

  /** The resource PATCH works on: what GET shows, minus what is read-only. */
  function patchableUser(row: ScimUserDbRow): JsonObject {
    const stored = parseResource(row);
    return { schemas: [URN.user, URN.enterprise], ...stored, ...(row.external_id ? { externalId: row.external_id } : {}), userName: row.user_name, active: row.active === 1 };
  }

  function applyPatch(kind: ScimResourceKind, doc: JsonObject, body: Json): JsonObject {
    const ops = normalisePatch(kind, body);
    try {
      // scim-patch's types want its own resource shape; ours is plain JSON.
      const patched = scimPatch(doc as never, ops as never, { mutateDocument: false, treatMissingAsAdd: true }) as unknown as JsonObject;
      return canonicalResource(kind, patched);
    } catch (e) {
      if (e instanceof ScimProblem) throw e;
      const code = (e as { scimCode?: string }).scimCode;
      const scimType = code === 'noTarget' || code === 'invalidPath' || code === 'invalidValue' || code === 'mutability' ? code : 'invalidValue';
      throw new ScimProblem(400, `The PATCH cannot be applied: ${e instanceof Error ? e.message.slice(0, 200) : 'invalid operation'}.`, scimType);
    }
  }

  function patchUser(ctx: Ctx, id: string, body: Json): ScimHttpResponse {
    deps.mutations.run('scim.users.patch', SCIM_ACTOR, (w) => {
      const row = store.user(id, ctx.grant.orgId);
      if (!row) throw new ScimProblem(404, `User ${id} not found.`);
      checkIfMatch(ctx.req, row.version);
      const patched = applyPatch('User', patchableUser(row), body);
      writeUser(w, ctx, row, patched);
    });
    return getUser({ ...ctx, params: new URLSearchParams(ctx.req.query) }, id);
  }

  /** DELETE: the user is archived (kept, as deprovisioning does), its SCIM identity and memberships removed. */
  function deleteUser(ctx: Ctx, id: string): ScimHttpResponse {
    deps.mutations.run('scim.users.delete', SCIM_ACTOR, (w) => {
      const row = store.user(id, ctx.grant.orgId);
      if (!row) throw new ScimProblem(404, `User ${id} not found.`);
      checkIfMatch(ctx.req, row.version);
      for (const g of store.groupsOfUser(id)) removeMember(w, g.id, id);
      w.delete('scimUser', id);
      w.update('user', id, { status: 'archived' });
    });
    return respond(204, null);
  }

  // ---- group writes -------------------------------------------------------------------------------

  /** A group resource checked; only members not already in the group (`current`) are looked up. */
  function groupValues(ctx: Ctx, resource: JsonObject, current: ReadonlySet<string>, patched: boolean) {
    const displayName = typeof resource.displayName === 'string' ? resource.displayName.trim() : '';
    if (!displayName) throw new ScimProblem(400, '"displayName" is required.', 'invalidValue');
    if (displayName.length > 256) throw new ScimProblem(400, '"displayName" is longer than 256 characters.', 'invalidValue');
    const memberIds = memberIdsOf(resource, patched ? Number.POSITIVE_INFINITY : SCIM_LIMITS.maxMembers);
    for (const m of memberIds) {
      if (current.has(m)) continue;
      if (store.isGroupId(m)) throw new ScimProblem(400, 'Groups are flat: a group cannot be a member of a group.', 'invalidValue');
      if (!store.user(m, ctx.grant.orgId)) throw new ScimProblem(400, `No user with id ${m}.`, 'invalidValue');
    }
    return { displayName, externalId: typeof resource.externalId === 'string' ? resource.externalId : null, memberIds };
  }

  function addMember(w: Writer, orgId: string, groupId: string, userId: string) {
    if (store.membershipId(groupId, userId)) return;
    // The names are not stored (the ids are): they only label the audit entry.
    const labels = { userLabel: store.userBrief(userId)?.name ?? userId, groupLabel: store.group(groupId, orgId)?.display_name ?? groupId };
    w.create('scimMember', newId(), { orgId, groupId, userId, ...labels });
  }
  function removeMember(w: Writer, groupId: string, userId: string) {
    const mid = store.membershipId(groupId, userId);
    if (mid) w.delete('scimMember', mid);
  }
  function refreshCount(w: Writer, groupId: string) {
    w.update('scimGroup', groupId, { memberCount: store.members(groupId).length });
  }

  /** Membership changed: members in one mapped group get its role and organization at once. */
  function applyMappingTo(w: Writer, orgId: string, userIds: string[]) {
    if (userIds.length === 0) return;
    mapping.apply(w, mapping.decide(orgId, userIds).changes);
  }

  function setMembers(w: Writer, orgId: string, groupId: string, wanted: string[]): string[] {
    const current = new Set(store.members(groupId).map((m) => m.user_id));
    const want = new Set(wanted);
    const touched: string[] = [];
    for (const u of current) if (!want.has(u)) { removeMember(w, groupId, u); touched.push(u); }
    for (const u of want) if (!current.has(u)) { addMember(w, orgId, groupId, u); touched.push(u); }
    return touched;
  }

  function createGroup(ctx: Ctx, body: Json): ScimHttpResponse {
    const orgId = ctx.grant.orgId;
    const id = deps.mutations.run('scim.groups.create', SCIM_ACTOR, (w) => {
      const values = groupValues(ctx, canonicalResource('Group', body), new Set(), false);
      if (store.groupByName(orgId, values.displayName)) throw new ScimProblem(409, `A group named "${values.displayName}" already exists.`, 'uniqueness');
      const groupId = newId();
      w.create('scimGroup', groupId, { orgId, connectionId: ctx.grant.connectionId, displayName: values.displayName, externalId: values.externalId, memberCount: 0, roleId: null, targetOrgId: null });
      const touched = setMembers(w, orgId, groupId, values.memberIds);
      if (touched.length) refreshCount(w, groupId);
      applyMappingTo(w, orgId, touched);
      return groupId;
    });
    const row = store.group(id, orgId)!;
    return respond(201, groupResource(row, ctx.base, true), { Location: `${ctx.base}/Groups/${id}`, ETag: etagOf(row.version) });
  }

  function writeGroup(w: Writer, ctx: Ctx, row: ScimGroupDbRow, resource: JsonObject, patched: boolean) {
    const orgId = ctx.grant.orgId;
    const values = groupValues(ctx, resource, new Set(store.members(row.id).map((m) => m.user_id)), patched);
    if (values.displayName.toLowerCase() !== row.display_name.toLowerCase() && store.groupByName(orgId, values.displayName)) {
      throw new ScimProblem(409, `A group named "${values.displayName}" already exists.`, 'uniqueness');
    }
    w.update('scimGroup', row.id, { displayName: values.displayName, externalId: values.externalId });
    const touched = setMembers(w, orgId, row.id, values.memberIds);
    if (touched.length) refreshCount(w, row.id);
    applyMappingTo(w, orgId, touched);
  }

  function replaceGroup(ctx: Ctx, id: string, body: Json): ScimHttpResponse {
    deps.mutations.run('scim.groups.replace', SCIM_ACTOR, (w) => {
      const row = store.group(id, ctx.grant.orgId);
      if (!row) throw new ScimProblem(404, `Group ${id} not found.`);
      checkIfMatch(ctx.req, row.version);
      writeGroup(w, ctx, row, canonicalResource('Group', body), false);
    });
    return getGroup(ctx, id);
  }

  function patchGroup(ctx: Ctx, id: string, body: Json): ScimHttpResponse {
    deps.mutations.run('scim.groups.patch', SCIM_ACTOR, (w) => {
      const row = store.group(id, ctx.grant.orgId);
      if (!row) throw new ScimProblem(404, `Group ${id} not found.`);
      checkIfMatch(ctx.req, row.version);
      const doc: JsonObject = {
        schemas: [URN.group], displayName: row.display_name, ...(row.external_id ? { externalId: row.external_id } : {}),
        members: store.members(id).map((m) => ({ value: m.user_id })),
      };
      writeGroup(w, ctx, row, applyPatch('Group', doc, body), true);
    });
    // Entra ID expects 204 for group PATCH; with `attributes` RFC 7644 §3.5.2 asks for the resource.
    if (ctx.params.get('attributes') !== null) return getGroup(ctx, id);
    const row = store.group(id, ctx.grant.orgId)!;
    return respond(204, null, { ETag: etagOf(row.version) });
  }

  function deleteGroup(ctx: Ctx, id: string): ScimHttpResponse {
    deps.mutations.run('scim.groups.delete', SCIM_ACTOR, (w) => {
      const row = store.group(id, ctx.grant.orgId);
      if (!row) throw new ScimProblem(404, `Group ${id} not found.`);
      checkIfMatch(ctx.req, row.version);
      const members = store.members(id).map((m) => m.user_id);
      for (const u of members) removeMember(w, id, u);
      w.delete('scimGroup', id);
      applyMappingTo(w, ctx.grant.orgId, members);
    });
    return respond(204, null);
  }

  // ---- discovery (RFC 7643 §5-7) ------------------------------------------------------------------

  const schemaAttr = (a: ScimAttribute): JsonObject => ({
    name: a.name, type: a.type, multiValued: a.multiValued ?? false, description: '', required: a.required ?? false,
    caseExact: a.caseExact ?? false, mutability: a.mutability ?? 'readWrite', returned: a.returned ?? 'default', uniqueness: a.uniqueness ?? 'none',
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(schemaAttr) } : {}),
  });
  const schemaResource = (id: string, name: string, attributes: ScimAttribute[], base: string): JsonObject => ({
    schemas: [URN.schema], id, name, description: name, attributes: attributes.map(schemaAttr),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  });
  const schemas = (base: string) => [
    schemaResource(URN.user, 'User', USER_ATTRIBUTES, base),
    schemaResource(URN.enterprise, 'EnterpriseUser', ENTERPRISE_ATTRIBUTES, base),
    schemaResource(URN.group, 'Group', GROUP_ATTRIBUTES, base),
  ];
  const resourceTypes = (base: string): JsonObject[] => [
    { schemas: [URN.resourceType], id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }], meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` } },
    { schemas: [URN.resourceType], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group', schema: URN.group,
      schemaExtensions: [], meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` } },
  ];
  const serviceProviderConfig = (base: string): JsonObject => ({
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_LIMITS.maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'The SCIM token issued in the console (SSO Integrations).', specUri: 'https://www.rfc-editor.org/rfc/rfc6750', primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  });

  function discovery(ctx: Ctx, segments: string[]): ScimHttpResponse {
    if (ctx.params.has('filter')) throw new ScimProblem(403, 'Discovery endpoints cannot be filtered.');
    const [kind, id] = segments;
    if (kind === 'ServiceProviderConfig' && id === undefined) return respond(200, serviceProviderConfig(ctx.base));
    const list = kind === 'Schemas' ? schemas(ctx.base) : resourceTypes(ctx.base);
    if (id === undefined) return respond(200, listResponse(list, list.length, 1));
    const one = list.find((r) => r.id === id);
    if (!one) throw new ScimProblem(404, `${kind}/${id} not found.`);
    return respond(200, one);
  }

  // ---- dispatch -----------------------------------------------------------------------------------

  const write = <T>(work: () => T): Promise<T> => deps.withWriter(work);

  async function route(ctx: Ctx): Promise<ScimHttpResponse> {
    const method = ctx.req.method.toUpperCase();
    const segments = ctx.req.path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const [kind, id, more] = segments;
    if (more !== undefined) throw new ScimProblem(404, 'No such SCIM endpoint.');
    if (kind === 'ServiceProviderConfig' || kind === 'Schemas' || kind === 'ResourceTypes') {
      if (method !== 'GET') throw new ScimProblem(405, 'Discovery endpoints are read-only.');
      return discovery(ctx, segments);
    }
    if (kind === 'Bulk') throw new ScimProblem(501, 'Bulk operations are not supported (see /ServiceProviderConfig).');
    if (kind !== 'Users' && kind !== 'Groups') throw new ScimProblem(404, 'No such SCIM endpoint.');
    const isUsers = kind === 'Users';
    if (id === undefined || id === '.search') {
      if (method === 'GET' && id === undefined) {
        const { startIndex, count } = paging(ctx.params.get('startIndex'), ctx.params.get('count'));
        const filter = ctx.params.get('filter');
        return isUsers ? listUsers(ctx, filter, startIndex, count) : listGroups(ctx, filter, startIndex, count);
      }
      if (method === 'POST' && id === '.search') {
        // RFC 7644 §3.4.3: the query in a SearchRequest body.
        const body = parseBody(ctx.req.body);
        if (!isObject(body)) throw new ScimProblem(400, 'The request body must be a JSON object.', 'invalidSyntax');
        const str = (v: Json | undefined) => (v === undefined || v === null ? null : Array.isArray(v) ? v.join(',') : String(v));
        const params = new URLSearchParams();
        for (const k of ['attributes', 'excludedAttributes'] as const) { const v = str(body[k]); if (v !== null) params.set(k, v); }
        const { startIndex, count } = paging(str(body.startIndex), str(body.count));
        const next = { ...ctx, params };
        return isUsers ? listUsers(next, str(body.filter), startIndex, count) : listGroups(next, str(body.filter), startIndex, count);
      }
      if (method === 'POST' && id === undefined) {
        const body = parseBody(ctx.req.body);
        return write(() => (isUsers ? createUser(ctx, body) : createGroup(ctx, body)));
      }
      throw new ScimProblem(405, `${method} is not allowed on /${kind}.`);
    }
    switch (method) {
      case 'GET': return isUsers ? getUser(ctx, id) : getGroup(ctx, id);
      case 'PUT': { const body = parseBody(ctx.req.body); return write(() => (isUsers ? replaceUser(ctx, id, body) : replaceGroup(ctx, id, body))); }
      case 'PATCH': { const body = parseBody(ctx.req.body); return write(() => (isUsers ? patchUser(ctx, id, body) : patchGroup(ctx, id, body))); }
      case 'DELETE': return write(() => (isUsers ? deleteUser(ctx, id) : deleteGroup(ctx, id)));
      default: throw new ScimProblem(405, `${method} is not allowed on /${kind}/{id}.`);
    }
  }

  function authenticate(authorization: string | null): ScimTokenGrant | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return m ? verifyScimToken(db, m[1]!) : null;
  }

  return {
    async handle(req: ScimHttpRequest): Promise<ScimHttpResponse> {
      const grant = authenticate(req.authorization);
      if (!grant) {
        return problem(new ScimProblem(401, 'A valid SCIM bearer token is required (Authorization: Bearer …).'), { 'WWW-Authenticate': 'Bearer realm="SCIM"' });
      }
      const base = req.baseUrl.replace(/\/+$/, '');
      try {
        return await route({ grant, base, params: new URLSearchParams(req.query), req });
      } catch (e) {
        if (e instanceof ScimProblem) return problem(e, e.status === 405 ? { Allow: 'GET, POST, PUT, PATCH, DELETE' } : {});
        throw e;
      }
    },
  };
}
export type ScimServer = ReturnType<typeof createScimServer>;

