/**
 * The pure rules of the SCIM 2.0 server (RFC 7643/7644): filters (parsed by scim2-parse-filter,
 * checked against our schemas and evaluated here, because the library compares strings
 * case-sensitively and loses the correlation of `emails[type eq "work"].value eq "…"`),
 * attribute projection, the normalisation of what real identity providers send (Entra ID's
 * "Replace" and "False", manager as a bare string, nulls; Okta's path-less replace with `id`),
 * and how a SCIM user becomes an Orgdesk user (name, email).
 */
import { parse as parseFilterText, type Filter } from 'scim2-parse-filter';
import {
  COMMON_ATTRIBUTES, ENTERPRISE_ATTRIBUTES, GROUP_ATTRIBUTES, SCIM_LIMITS, URN, USER_ATTRIBUTES,
  type ScimAttribute, type ScimResourceKind,
} from '../model/scim.ts';

export type ScimType =
  | 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget'
  | 'invalidValue' | 'invalidVers' | 'sensitive';

/** A request the server refuses: becomes an RFC 7644 §3.12 error response. */
export class ScimProblem extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  constructor(status: number, detail: string, scimType?: ScimType) {
    super(detail);
    this.name = 'ScimProblem';
    this.status = status;
    this.scimType = scimType;
  }
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- attribute paths --------------------------------------------------------------------------

export interface ResolvedPath {
  /** null = core schema; otherwise the extension URN the attribute lives under. */
  extension: string | null;
  attr: ScimAttribute;
  sub: ScimAttribute | null;
}

const attributesOf = (kind: ScimResourceKind) => [...COMMON_ATTRIBUTES, ...(kind === 'User' ? USER_ATTRIBUTES : GROUP_ATTRIBUTES)];
const findAttr = (list: readonly ScimAttribute[], name: string) => list.find((a) => a.name.toLowerCase() === name.toLowerCase());

/**
 * Resolve "name.givenName", "emails.value", "urn:…:enterprise:2.0:User:manager.value" or
 * "urn:…:core:2.0:User:userName" to its schema attribute; null when the schema has no such attribute.
 */
export function resolvePath(kind: ScimResourceKind, path: string): ResolvedPath | null {
  let rest = path;
  let extension: string | null = null;
  let list = attributesOf(kind);
  const lower = path.toLowerCase();
  const core = kind === 'User' ? URN.user : URN.group;
  if (lower.startsWith(`${core.toLowerCase()}:`)) rest = path.slice(core.length + 1);
  else if (kind === 'User' && lower.startsWith(`${URN.enterprise.toLowerCase()}:`)) {
    rest = path.slice(URN.enterprise.length + 1);
    extension = URN.enterprise;
    list = ENTERPRISE_ATTRIBUTES;
  } else if (lower.startsWith('urn:')) return null;
  const [name, subName, more] = rest.split('.');
  if (!name || more !== undefined) return null;
  let attr = findAttr(list, name);
  // Entra ID also names enterprise attributes without their URN ("manager").
  if (!attr && extension === null && kind === 'User' && !lower.startsWith('urn:')) {
    attr = findAttr(ENTERPRISE_ATTRIBUTES, name);
    if (attr) extension = URN.enterprise;
  }
  if (!attr) return null;
  if (subName === undefined) return { extension, attr, sub: null };
  const sub = attr.subAttributes ? findAttr(attr.subAttributes, subName) : undefined;
  return sub ? { extension, attr, sub } : null;
}

/** The key of `obj` matching `name` case-insensitively (attribute names are, RFC 7643 §2.1). */
export function keyOf(obj: JsonObject, name: string): string | undefined {
  if (name in obj) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

function valuesIn(container: Json | undefined, attr: ScimAttribute, sub: ScimAttribute | null): Json[] {
  if (!isObject(container)) return [];
  const k = keyOf(container, attr.name);
  const v = k === undefined ? undefined : container[k];
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  if (!sub) return items;
  const out: Json[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const sk = keyOf(item, sub.name);
    const sv = sk === undefined ? undefined : item[sk];
    if (sv === undefined || sv === null) continue;
    if (Array.isArray(sv)) out.push(...sv);
    else out.push(sv);
  }
  return out;
}

// ---- filters ----------------------------------------------------------------------------------

/** A parsed filter checked against the schema: evaluate it with `matches`. */
export interface CheckedFilter {
  kind: ScimResourceKind;
  ast: Filter;
}

const COMPARE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);

/**
 * Entra ID queries `emails[type eq "work"].value eq "a@b"`; RFC 7644's grammar has no such form and
 * the parser would turn it into two unrelated conditions. Rewrite it to the equivalent value path
 * `emails[(type eq "work") and value eq "a@b"]` first.
 */
function rewriteSubAttributeValuePaths(text: string): string {
  return text.replace(
    /([\w:.$-]+)\[([^[\]"]*(?:"(?:[^"\\]|\\.)*"[^[\]"]*)*)\]\.([\w$]+)\s+(?:(pr)\b|(eq|ne|co|sw|ew|gt|ge|lt|le)\s+("(?:[^"\\]|\\.)*"|[^\s()]+))/gi,
    (_m, attr: string, inner: string, sub: string, pr: string | undefined, op: string | undefined, value: string | undefined) =>
      `${attr}[(${inner}) and ${sub} ${pr ? 'pr' : `${op} ${value}`}]`,
  );
}

function countNodes(f: Filter): number {
  switch (f.op) {
    case 'and': case 'or': return 1 + f.filters.reduce((n, x) => n + countNodes(x), 0);
    case 'not': return 1 + countNodes(f.filter);
    case '[]': return 1 + countNodes(f.valFilter);
    default: return 1;
  }
}

function checkNode(f: Filter, kind: ScimResourceKind, within: ScimAttribute | null): void {
  switch (f.op) {
    case 'and': case 'or': for (const x of f.filters) checkNode(x, kind, within); return;
    case 'not': checkNode(f.filter, kind, within); return;
    case '[]': {
      if (within) throw new ScimProblem(400, 'Value filters cannot be nested.', 'invalidFilter');
      const r = resolvePath(kind, f.attrPath);
      if (!r || r.sub || r.attr.type !== 'complex') throw new ScimProblem(400, `Unknown or non-complex attribute "${f.attrPath}" in filter.`, 'invalidFilter');
      checkNode(f.valFilter, kind, r.attr);
      return;
    }
    default: {
      const attr = within ? findAttr(within.subAttributes ?? [], f.attrPath) : resolveLeaf(kind, f.attrPath);
      if (!attr) throw new ScimProblem(400, `Unknown attribute "${f.attrPath}" in filter.`, 'invalidFilter');
      if (attr.returned === 'never') throw new ScimProblem(400, `"${f.attrPath}" cannot be filtered on.`, 'invalidFilter');
      if (f.op === 'pr') return;
      if (!COMPARE_OPS.has(f.op)) throw new ScimProblem(400, `Unknown operator "${f.op}".`, 'invalidFilter');
      if ((attr.type === 'boolean' || attr.type === 'complex') && f.op !== 'eq' && f.op !== 'ne') {
        throw new ScimProblem(400, `Operator "${f.op}" does not apply to "${f.attrPath}".`, 'invalidFilter');
      }
    }
  }
}

/** The attribute a comparison reads: the sub-attribute if named, else the attribute ("emails" compares "emails.value"). */
function resolveLeaf(kind: ScimResourceKind, path: string): ScimAttribute | null {
  const r = resolvePath(kind, path);
  if (!r) return null;
  if (r.sub) return r.sub;
  if (r.attr.type === 'complex') return r.attr.subAttributes ? (findAttr(r.attr.subAttributes, 'value') ?? r.attr) : r.attr;
  return r.attr;
}

/** Parse and check a filter; every refusal is a 400 `invalidFilter` with a sentence saying why. */
export function parseFilter(text: string, kind: ScimResourceKind): CheckedFilter {
  if (text.length > SCIM_LIMITS.maxFilterLength) throw new ScimProblem(400, `The filter is longer than ${SCIM_LIMITS.maxFilterLength} characters.`, 'invalidFilter');
  let ast: Filter;
  try {
    ast = parseFilterText(rewriteSubAttributeValuePaths(text.trim()));
  } catch (e) {
    throw new ScimProblem(400, `The filter cannot be parsed: ${e instanceof Error ? e.message.slice(0, 200) : 'syntax error'}.`, 'invalidFilter');
  }
  if (countNodes(ast) > SCIM_LIMITS.maxFilterNodes) throw new ScimProblem(400, `The filter has more than ${SCIM_LIMITS.maxFilterNodes} conditions.`, 'invalidFilter');
  normaliseOps(ast);
  checkNode(ast, kind, null);
  return { kind, ast };
}

/** Operators are case-insensitive ("EQ", "And"): the parser keeps them as written. */
function normaliseOps(f: Filter): void {
  (f as { op: string }).op = f.op.toLowerCase();
  if (f.op === 'and' || f.op === 'or') f.filters.forEach(normaliseOps);
  else if (f.op === 'not') normaliseOps(f.filter);
  else if (f.op === '[]') normaliseOps(f.valFilter);
}

function compare(op: string, value: Json, target: Json, caseExact: boolean): boolean {
  if (target === null) return op === 'eq' ? value === null : op === 'ne' ? value !== null : false;
  if (typeof target === 'string') {
    if (typeof value !== 'string') return false;
    const a = caseExact ? value : value.toLowerCase();
    const b = caseExact ? target : target.toLowerCase();
    switch (op) {
      case 'eq': return a === b;
      case 'ne': return a !== b;
      case 'co': return a.includes(b);
      case 'sw': return a.startsWith(b);
      case 'ew': return a.endsWith(b);
      case 'gt': return a > b;
      case 'ge': return a >= b;
      case 'lt': return a < b;
      case 'le': return a <= b;
      default: return false;
    }
  }
  if (typeof target === 'number') {
    if (typeof value !== 'number') return false;
    switch (op) {
      case 'eq': return value === target;
      case 'ne': return value !== target;
      case 'gt': return value > target;
      case 'ge': return value >= target;
      case 'lt': return value < target;
      case 'le': return value <= target;
      default: return false;
    }
  }
  if (typeof target === 'boolean') return op === 'eq' ? value === target : op === 'ne' ? value !== target : false;
  return false;
}

function evaluate(f: Filter, resource: JsonObject, kind: ScimResourceKind, within: ScimAttribute | null): boolean {
  switch (f.op) {
    case 'and': return f.filters.every((x) => evaluate(x, resource, kind, within));
    case 'or': return f.filters.some((x) => evaluate(x, resource, kind, within));
    case 'not': return !evaluate(f.filter, resource, kind, within);
    case '[]': {
      const r = resolvePath(kind, f.attrPath)!;
      const container = r.extension ? resource[keyOf(resource, r.extension) ?? ''] : resource;
      return valuesIn(container, r.attr, null).some((item) => isObject(item) && evaluate(f.valFilter, item, kind, r.attr));
    }
    default: {
      let values: Json[];
      let attr: ScimAttribute;
      if (within) {
        attr = findAttr(within.subAttributes ?? [], f.attrPath)!;
        const k = keyOf(resource, attr.name);
        const v = k === undefined ? undefined : resource[k];
        values = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
      } else {
        const r = resolvePath(kind, f.attrPath)!;
        const container = r.extension ? resource[keyOf(resource, r.extension) ?? ''] : resource;
        // "emails eq x" compares the values of a multi-valued complex attribute (RFC 7644 §3.4.2.2).
        const sub = r.sub ?? (r.attr.type === 'complex' ? (findAttr(r.attr.subAttributes ?? [], 'value') ?? null) : null);
        values = valuesIn(container, r.attr, sub);
        attr = sub ?? r.attr;
      }
      if (f.op === 'pr') return values.some((v) => v !== '' && !(Array.isArray(v) && v.length === 0) && !(isObject(v) && Object.keys(v).length === 0));
      const caseExact = attr.caseExact === true;
      if (f.op === 'ne') return !values.some((v) => compare('eq', v, f.compValue, caseExact));
      if (values.length === 0) return f.op === 'eq' && f.compValue === null;
      return values.some((v) => compare(f.op, v, f.compValue, caseExact));
    }
  }
}

export function matches(filter: CheckedFilter, resource: JsonObject): boolean {
  return evaluate(filter.ast, resource, filter.kind, null);
}

/**
 * A narrowing the store can do with an index before the filter runs: the first top-level
 * `userName`/`externalId`/`id`/`displayName` eq or sw condition joined by `and`. Null = scan.
 */
export function indexableCondition(filter: CheckedFilter): { attribute: 'userName' | 'externalId' | 'id' | 'displayName'; op: 'eq' | 'sw'; value: string } | null {
  const conjuncts: Filter[] = filter.ast.op === 'and' ? filter.ast.filters : [filter.ast];
  for (const c of conjuncts) {
    if ((c.op === 'eq' || c.op === 'sw') && typeof c.compValue === 'string') {
      const r = resolvePath(filter.kind, c.attrPath);
      if (!r || r.sub || r.extension) continue;
      const name = r.attr.name;
      if (name === 'userName' || name === 'externalId' || name === 'id' || (name === 'displayName' && filter.kind === 'Group')) {
        return { attribute: name, op: c.op, value: c.compValue };
      }
    }
  }
  return null;
}

/** Whether the filter is nothing but its indexable condition (then the store's answer is the answer). */
export function isExactly(filter: CheckedFilter, narrow: NonNullable<ReturnType<typeof indexableCondition>>): boolean {
  const f = filter.ast;
  return (f.op === 'eq' || f.op === 'sw') && f.op === narrow.op && f.compValue === narrow.value;
}

// ---- projection (attributes / excludedAttributes, RFC 7644 §3.9) -------------------------------

const ALWAYS = new Set(['id', 'schemas']);

function splitList(text: string | null): string[] {
  return (text ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** Apply `attributes` or `excludedAttributes` to a resource; unknown names are ignored (§3.4.2.5). */
export function project(resource: JsonObject, kind: ScimResourceKind, attributes: string | null, excluded: string | null): JsonObject {
  const include = splitList(attributes).map((p) => resolvePath(kind, p)).filter((r): r is ResolvedPath => r !== null);
  const exclude = splitList(excluded).map((p) => resolvePath(kind, p)).filter((r): r is ResolvedPath => r !== null);
  if (include.length > 0) {
    const out: JsonObject = {};
    for (const k of Object.keys(resource)) if (ALWAYS.has(k)) out[k] = resource[k]!;
    for (const r of include) copyPath(resource, out, r);
    return out;
  }
  if (exclude.length === 0) return resource;
  const out: JsonObject = structuredClone(resource);
  for (const r of exclude) {
    if (r.attr.returned === 'always') continue;
    const container = r.extension ? out[r.extension] : out;
    if (!isObject(container)) continue;
    if (!r.sub) { delete container[r.attr.name]; continue; }
    const v = container[r.attr.name];
    for (const item of Array.isArray(v) ? v : [v]) if (isObject(item)) delete item[r.sub.name];
  }
  return out;
}

function copyPath(from: JsonObject, to: JsonObject, r: ResolvedPath): void {
  let src: Json | undefined = from;
  let dst: JsonObject = to;
  if (r.extension) {
    src = from[r.extension];
    if (!isObject(src)) return;
    dst = isObject(to[r.extension]) ? (to[r.extension] as JsonObject) : (to[r.extension] = {});
  }
  if (!isObject(src)) return;
  const v = src[r.attr.name];
  if (v === undefined) return;
  if (!r.sub) { dst[r.attr.name] = v; return; }
  const pick = (item: Json): Json => (isObject(item) && item[r.sub!.name] !== undefined ? { [r.sub!.name]: item[r.sub!.name]! } : {});
  if (Array.isArray(v)) {
    const prev = Array.isArray(dst[r.attr.name]) ? (dst[r.attr.name] as Json[]) : [];
    dst[r.attr.name] = v.map((item, i) => ({ ...(isObject(prev[i]) ? prev[i] : {}), ...(pick(item) as JsonObject) }));
  } else if (isObject(v)) {
    dst[r.attr.name] = { ...(isObject(dst[r.attr.name]) ? (dst[r.attr.name] as JsonObject) : {}), ...(pick(v) as JsonObject) };
  }
}

// ---- what identity providers send: canonical resources -----------------------------------------

/** Entra ID sends booleans as the strings "True"/"False". */
export function coerceBoolean(value: Json | undefined): Json | undefined {
  if (typeof value === 'string') {
    const l = value.trim().toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  return value;
}

function canonicalValue(attr: ScimAttribute, value: Json, where: string): Json | undefined {
  if (value === null) return undefined;
  if (attr.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const out = items.map((item) => canonicalSingle(attr, item, where)).filter((v): v is Json => v !== undefined);
    return out.length ? out : undefined;
  }
  if (Array.isArray(value)) throw new ScimProblem(400, `"${where}" takes one value, not a list.`, 'invalidValue');
  return canonicalSingle(attr, value, where);
}

function canonicalSingle(attr: ScimAttribute, value: Json, where: string): Json | undefined {
  if (value === null) return undefined;
  if (attr.type === 'complex') {
    // Entra ID sends the enterprise manager as a bare id string; "" removes it.
    if (typeof value === 'string' && attr.name === 'manager') return value === '' ? undefined : { value };
    if (!isObject(value)) throw new ScimProblem(400, `"${where}" must be an object.`, 'invalidValue');
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const sub = findAttr(attr.subAttributes ?? [], k);
      if (!sub || sub.mutability === 'readOnly' && attr.name !== 'members') continue;
      const c = canonicalSingle(sub, v, `${where}.${sub.name}`);
      if (c !== undefined) out[sub.name] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (attr.type === 'boolean') {
    const b = coerceBoolean(value);
    if (typeof b !== 'boolean') throw new ScimProblem(400, `"${where}" must be true or false.`, 'invalidValue');
    return b;
  }
  if (attr.type === 'integer' || attr.type === 'decimal') {
    if (typeof value !== 'number') throw new ScimProblem(400, `"${where}" must be a number.`, 'invalidValue');
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new ScimProblem(400, `"${where}" must be a string.`, 'invalidValue');
  return value;
}

/**
 * A client's resource in canonical form: known attributes only, canonical names, no nulls, no
 * read-only attributes (id, meta, groups: ignored as RFC 7644 §3.5.1 says), booleans coerced,
 * manager as {value}. Unknown attributes and schemas are dropped, not refused: Entra ID sends
 * its own (and misspelled) schema URNs.
 */
export function canonicalResource(kind: ScimResourceKind, body: Json): JsonObject {
  if (!isObject(body)) throw new ScimProblem(400, 'The request body must be a JSON object.', 'invalidSyntax');
  const out: JsonObject = {};
  const list = kind === 'User' ? USER_ATTRIBUTES : GROUP_ATTRIBUTES;
  for (const [k, v] of Object.entries(body)) {
    if (k.toLowerCase() === URN.enterprise.toLowerCase() && kind === 'User') {
      if (v === null) continue;
      if (!isObject(v)) throw new ScimProblem(400, 'The enterprise extension must be an object.', 'invalidValue');
      const ext: JsonObject = {};
      for (const [ek, ev] of Object.entries(v)) {
        const attr = findAttr(ENTERPRISE_ATTRIBUTES, ek);
        if (!attr) continue;
        const c = canonicalValue(attr, ev, attr.name);
        if (c !== undefined) ext[attr.name] = c;
      }
      if (Object.keys(ext).length) out[URN.enterprise] = ext;
      continue;
    }
    if (k.toLowerCase() === 'externalid') {
      if (v !== null && v !== '') out.externalId = canonicalSingle(COMMON_ATTRIBUTES[1]!, v, 'externalId') ?? null;
      if (out.externalId === null) delete out.externalId;
      continue;
    }
    const attr = findAttr(list, k);
    if (!attr || attr.mutability === 'readOnly' || attr.mutability === 'writeOnly') continue;
    const c = canonicalValue(attr, v, attr.name);
    if (c !== undefined) out[attr.name] = c;
  }
  return out;
}

// ---- PATCH (RFC 7644 §3.5.2) -------------------------------------------------------------------

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: Json;
}

/** The attribute part of a PATCH path: `emails[type eq "work"].value` -> emails / value. */
function pathAttribute(kind: ScimResourceKind, path: string): ResolvedPath | null {
  const m = /^([^[]+)\[.*\](?:\.([\w$]+))?$/s.exec(path);
  if (!m) return resolvePath(kind, path);
  const base = resolvePath(kind, m[1]!);
  if (!base || base.sub) return null;
  if (!m[2]) return base;
  const sub = findAttr(base.attr.subAttributes ?? [], m[2]);
  return sub ? { ...base, sub } : null;
}

/**
 * A PATCH body checked and put in the shape scim-patch applies: lower-case ops (Entra ID sends
 * "Replace", "Add"), known paths (400 invalidPath otherwise), read-only targets refused (400
 * mutability), "True"/"False" made booleans, read-only keys of path-less values dropped (Okta
 * sends `{"id":…, "displayName":…}` to rename a group), remove without path refused (noTarget).
 */
export function normalisePatch(kind: ScimResourceKind, body: Json): PatchOperation[] {
  if (!isObject(body)) throw new ScimProblem(400, 'The request body must be a JSON object.', 'invalidSyntax');
  const schemas = body[keyOf(body, 'schemas') ?? 'schemas'];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase())) {
    throw new ScimProblem(400, `A PATCH body must name the schema ${URN.patchOp}.`, 'invalidSyntax');
  }
  const ops = body[keyOf(body, 'Operations') ?? 'Operations'];
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimProblem(400, 'A PATCH body needs a non-empty "Operations" list.', 'invalidSyntax');
  if (ops.length > SCIM_LIMITS.maxPatchOperations) throw new ScimProblem(400, `At most ${SCIM_LIMITS.maxPatchOperations} operations per PATCH.`, 'tooMany');
  return ops.map((raw, i): PatchOperation[] => {
    if (!isObject(raw)) throw new ScimProblem(400, `Operation ${i + 1} must be an object.`, 'invalidSyntax');
    const opText = raw[keyOf(raw, 'op') ?? 'op'];
    const op = typeof opText === 'string' ? opText.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw new ScimProblem(400, `Operation ${i + 1}: "op" must be add, remove or replace.`, 'invalidSyntax');
    const pathRaw = raw[keyOf(raw, 'path') ?? 'path'];
    const path = typeof pathRaw === 'string' && pathRaw.trim() !== '' ? pathRaw.trim() : undefined;
    const valueKey = keyOf(raw, 'value');
    let value: Json | undefined = valueKey === undefined ? undefined : raw[valueKey];
    if (!path) {
      if (op === 'remove') throw new ScimProblem(400, `Operation ${i + 1}: remove needs a path.`, 'noTarget');
      if (!isObject(value)) throw new ScimProblem(400, `Operation ${i + 1}: without a path, the value must be an object of attributes.`, 'invalidValue');
      const cleaned: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const r = k.toLowerCase() === URN.enterprise.toLowerCase() ? null : resolvePath(kind, k);
        if (k.toLowerCase() === URN.enterprise.toLowerCase() && kind === 'User') { cleaned[URN.enterprise] = v; continue; }
        if (!r) throw new ScimProblem(400, `Operation ${i + 1}: unknown attribute "${k}".`, 'invalidPath');
        if (r.attr.mutability === 'readOnly' || r.sub?.mutability === 'readOnly') continue; // id, meta, groups: ignored
        const name = r.extension ? `${r.extension}:${r.attr.name}${r.sub ? `.${r.sub.name}` : ''}` : `${r.attr.name}${r.sub ? `.${r.sub.name}` : ''}`;
        cleaned[name] = (r.sub ?? r.attr).type === 'boolean' ? (coerceBoolean(v) ?? null) : v;
      }
      return [{ op, value: cleaned }];
    }
    const target = pathAttribute(kind, path);
    if (!target) throw new ScimProblem(400, `Operation ${i + 1}: unknown path "${path}".`, 'invalidPath');
    const leaf = target.sub ?? target.attr;
    if (target.attr.mutability === 'readOnly' || leaf.mutability === 'readOnly') throw new ScimProblem(400, `Operation ${i + 1}: "${path}" is read-only.`, 'mutability');
    if (leaf.type === 'boolean') value = coerceBoolean(value);
    // Extension attributes are addressed by their full URN, whatever short form was sent.
    const canonicalPath = target.extension && !path.toLowerCase().startsWith('urn:') ? `${target.extension}:${path}` : path;
    if (op === 'remove') {
      // Entra ID's default job removes members with {"op":"Remove","path":"members","value":[{"value":id}]}:
      // remove exactly those, as members[value eq "id"] does.
      if (kind === 'Group' && target.attr.name === 'members' && !target.sub && canonicalPath === path && !path.includes('[') && Array.isArray(value)) {
        return value.map((m) => {
          const id = isObject(m) && typeof m.value === 'string' ? m.value : null;
          if (!id) throw new ScimProblem(400, `Operation ${i + 1}: every member to remove needs a "value".`, 'invalidValue');
          return { op, path: `members[value eq ${JSON.stringify(id)}]` };
        });
      }
      return [{ op, path: canonicalPath }];
    }
    if (value === undefined) throw new ScimProblem(400, `Operation ${i + 1}: ${op} needs a value.`, 'invalidValue');
    // Entra ID removes a manager with {"op":"replace","path":"manager","value":""}.
    if (target.attr.name === 'manager' && !target.sub && (value === '' || value === null)) return [{ op: 'remove', path: canonicalPath }];
    return [{ op, path: canonicalPath, value }];
  }).flat();
}

// ---- an Orgdesk user from a SCIM user ----------------------------------------------------------

const str = (v: Json | undefined): string => (typeof v === 'string' ? v.trim() : '');

/** The name the Users list shows: displayName, else name.formatted, else given + family, else userName. */
export function displayNameOf(resource: JsonObject): string {
  const name = isObject(resource.name) ? resource.name : {};
  const full = str(resource.displayName) || str(name.formatted) || `${str(name.givenName)} ${str(name.familyName)}`.trim() || str(resource.userName);
  return full.slice(0, 100);
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The user's email: the primary one, else the work one, else the first, else userName when it is an address. */
export function emailOf(resource: JsonObject): string {
  const emails = Array.isArray(resource.emails) ? resource.emails.filter(isObject) : [];
  const pick = emails.find((e) => e.primary === true) ?? emails.find((e) => str(e.type).toLowerCase() === 'work') ?? emails[0];
  const email = str(pick?.value);
  if (email) return email;
  const userName = str(resource.userName);
  return EMAIL_SHAPE.test(userName) ? userName : '';
}

/**
 * The members of a group's canonical resource (values), refusing nested groups. `max` bounds what
 * one request may list (a PATCHed group may hold more: its operations are bounded instead).
 */
export function memberIdsOf(resource: JsonObject, max: number = SCIM_LIMITS.maxMembers): string[] {
  const members = Array.isArray(resource.members) ? resource.members : [];
  if (members.length > max) throw new ScimProblem(400, `A group may have at most ${max} members per request.`, 'tooMany');
  const ids = new Set<string>();
  for (const m of members) {
    if (!isObject(m) || typeof m.value !== 'string' || m.value === '') throw new ScimProblem(400, 'Every member needs a "value" (the user\'s id).', 'invalidValue');
    if (typeof m.type === 'string' && m.type.toLowerCase() === 'group') throw new ScimProblem(400, 'Groups are flat: a group cannot be a member of a group.', 'invalidValue');
    ids.add(m.value);
  }
  return [...ids];
}

/** An error body (RFC 7644 §3.12); `status` is a string. */
export function errorBody(status: number, detail: string, scimType?: string): JsonObject {
  return { schemas: [URN.error], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** startIndex and count as RFC 7644 §3.4.2.4 reads them (1-based, <1 = 1, negative count = 0, capped). */
export function paging(startIndex: string | null, count: string | null): { startIndex: number; count: number } {
  const si = startIndex === null ? 1 : Number.parseInt(startIndex, 10);
  const c = count === null ? SCIM_LIMITS.defaultCount : Number.parseInt(count, 10);
  if ((startIndex !== null && !Number.isFinite(si)) || (count !== null && !Number.isFinite(c))) {
    throw new ScimProblem(400, 'startIndex and count must be integers.', 'invalidValue');
  }
  return { startIndex: Math.max(1, si), count: Math.min(SCIM_LIMITS.maxResults, Math.max(0, c)) };
}
