/**
 * Pure rules of directory import (issue #7): LDAP escaping (RFC 4515 filters, RFC 4514 DNs),
 * Active Directory value conversions (objectGUID, userAccountControl, ranged attributes), the
 * attribute mapping of one entry to an Orgdesk user, and the removal safety rule.
 * No Node here: bytes are Uint8Array.
 */
import { isValidEmail } from '../model/organization-values.ts';
import type { AttributeMapping } from '../model/directory.ts';

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** RFC 4515 §3: an assertion value inside a string filter; NUL ( ) * \ must be escaped. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\0()*\\]/g, (c) => '\\' + hex2(c.charCodeAt(0)));
}

/** Every byte as \xx: for logs and for clients that take string filters (with ldapts use a filter object). */
export function escapeFilterBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += '\\' + hex2(b);
  return out;
}

/** RFC 4514 §2.4: one attribute value of a DN. */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if ('"+,;<>\\'.includes(c) || (i === 0 && (c === ' ' || c === '#')) || (i === value.length - 1 && c === ' ')) out += '\\' + c;
    else if (c === '\0') out += '\\00';
    else out += c;
  }
  return out;
}

/** RFC 4514 §3: the value of a DN attribute back to its text (\\, \<special>, \XX as UTF-8 bytes). */
export function unescapeDnValue(value: string): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      const pair = value.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(pair)) {
        bytes.push(parseInt(pair, 16));
        i += 2;
        continue;
      }
      bytes.push(...encoder.encode(value[i + 1]!));
      i += 1;
      continue;
    }
    bytes.push(...encoder.encode(c));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Attribute names come from the mapping form: an allow-list shape, never escaped into filters. */
export const ATTRIBUTE_NAME_RE = /^(?:[A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|\d+(?:\.\d+)+)$/;
export const isAttributeName = (name: string): boolean => name.length <= 100 && ATTRIBUTE_NAME_RE.test(name);

/**
 * Syntax check of an administrator's filter (RFC 4515 shape: balanced parentheses, each item
 * `(attr op value)` or a composite `(&...)`/`(|...)`/`(!...)`). The core also parses it with the
 * LDAP library before any search.
 */
export function isFilterSyntax(filter: string): boolean {
  const s = filter.trim();
  if (!s.startsWith('(') || !s.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i += 2; continue; }
    if (c === '(') depth++;
    else if (c === ')') { depth--; if (depth < 0) return false; if (depth === 0 && i !== s.length - 1) return false; }
  }
  return depth === 0;
}

const rev = (h: string) => (h.match(/../g) ?? []).reverse().join('');
const toHex = (b: Uint8Array) => Array.from(b, hex2).join('');

/** AD objectGUID (16 bytes, first three fields little-endian) to its canonical string. */
export function guidToString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const h = toHex(bytes);
  return `${rev(h.slice(0, 8))}-${rev(h.slice(8, 12))}-${rev(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function guidToBytes(text: string): Uint8Array {
  const h = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new Error('not a GUID');
  const ordered = rev(h.slice(0, 8)) + rev(h.slice(8, 12)) + rev(h.slice(12, 16)) + h.slice(16);
  return new Uint8Array((ordered.match(/../g) ?? []).map((x) => parseInt(x, 16)));
}

export const UAC = { ACCOUNTDISABLE: 0x2, LOCKOUT: 0x10, NORMAL_ACCOUNT: 0x200, DONT_EXPIRE_PASSWORD: 0x10000 } as const;

/** Disabled is bit 2 of userAccountControl (514, 546, 66050 ... all disabled); never compare with 514. */
export function isUacDisabled(value: string | number | undefined): boolean {
  if (value === undefined || value === '') return false;
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) && (n & UAC.ACCOUNTDISABLE) !== 0;
}

/**
 * AD range retrieval: a reply key such as `member;range=0-1499` (more to read) or
 * `member;range=1500-*` (last chunk). Returns the next attribute to ask for, or null when complete.
 */
export function parseRangeKey(key: string): { attribute: string; low: number; high: number | '*' } | null {
  const m = /^([A-Za-z][A-Za-z0-9-]*);range=(\d+)-(\d+|\*)$/i.exec(key);
  if (!m) return null;
  return { attribute: m[1]!, low: Number(m[2]), high: m[3] === '*' ? '*' : Number(m[3]) };
}

/**
 * Reads every value of a multi-valued attribute of one entry, following AD's ranged replies
 * (Samba and OpenLDAP answer plainly; Windows caps at MaxValRange, 1500 by default).
 * `readEntry(attr)` reads the entry asking for `attr` only.
 */
export async function readAllValues(
  attribute: string,
  readEntry: (requested: string) => Promise<Record<string, string | string[] | undefined> | null>,
): Promise<string[]> {
  const out: string[] = [];
  let requested = attribute;
  for (let round = 0; round < 100_000; round++) {
    const entry = await readEntry(requested);
    if (!entry) return out;
    const rangedKey = Object.keys(entry).find((k) => {
      const r = parseRangeKey(k);
      return r !== null && r.attribute.toLowerCase() === attribute.toLowerCase();
    });
    if (!rangedKey) {
      // Not ranged: the plain attribute is complete (a ranged request answered plainly counts too).
      const plainKey = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
      return round === 0 || plainKey ? out.concat(asArray(plainKey ? entry[plainKey] : undefined)) : out;
    }
    out.push(...asArray(entry[rangedKey]));
    const range = parseRangeKey(rangedKey)!;
    if (range.high === '*') return out;
    requested = `${attribute};range=${range.high + 1}-*`;
  }
  throw new Error('range retrieval did not end');
}

export const asArray = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** One directory entry as the reader hands it over: attribute names lower-cased, values as text. */
export interface DirectoryEntry {
  dn: string;
  /** The anchor, already converted to text (objectGUID as its canonical GUID string). */
  anchor: string;
  attributes: Record<string, string[]>;
}

/** What an entry becomes in Orgdesk. */
export interface MappedUser {
  anchor: string;
  dn: string;
  name: string;
  email: string;
  disabled: boolean;
  /** The mapped attributes shown in previews and kept on the link (login, department, title ...). */
  attributes: Record<string, string>;
}

export type MapProblem = 'anchor_missing' | 'email_missing' | 'email_invalid' | 'name_missing';

const first = (entry: DirectoryEntry, attribute: string): string => {
  if (!attribute) return '';
  return (entry.attributes[attribute.toLowerCase()]?.[0] ?? '').trim();
};

/** The extra attributes kept beside the user (the mapping's keys, in this order). */
export const EXTRA_FIELDS = ['login', 'givenName', 'surname', 'department', 'title', 'phone', 'manager'] as const;

/** Map one entry with the source's mapping; a problem says why the entry cannot become a user. */
export function mapEntry(entry: DirectoryEntry, mapping: AttributeMapping): { user: MappedUser } | { problem: MapProblem; dn: string } {
  if (!entry.anchor) return { problem: 'anchor_missing', dn: entry.dn };
  const email = first(entry, mapping.email);
  if (!email) return { problem: 'email_missing', dn: entry.dn };
  if (!isValidEmail(email)) return { problem: 'email_invalid', dn: entry.dn };
  const givenName = first(entry, mapping.givenName);
  const surname = first(entry, mapping.surname);
  const name = (first(entry, mapping.displayName) || `${givenName} ${surname}`.trim() || first(entry, mapping.login)).slice(0, 100);
  if (!name) return { problem: 'name_missing', dn: entry.dn };
  const disabledValue = first(entry, mapping.disabled);
  const disabled = mapping.disabled.toLowerCase() === 'useraccountcontrol'
    ? isUacDisabled(disabledValue)
    : ['true', '1', 'yes', 'disabled'].includes(disabledValue.toLowerCase());
  const attributes: Record<string, string> = {};
  for (const field of EXTRA_FIELDS) {
    const v = first(entry, mapping[field]);
    if (v) attributes[field] = v;
  }
  return { user: { anchor: entry.anchor, dn: entry.dn, name, email, disabled, attributes } };
}

/** Every attribute the mapping reads (the search asks for these only). */
export function mappedAttributes(mapping: AttributeMapping): string[] {
  const names = [mapping.anchor, mapping.email, mapping.displayName, mapping.disabled, mapping.memberOf, ...EXTRA_FIELDS.map((f) => mapping[f])];
  return [...new Set(names.filter((n) => n !== ''))];
}

/**
 * Removals wait for an administrator above max-count or percent of the linked users (Entra's
 * "prevent accidental deletes", default 500; we also stop at 10%).
 */
export function removalsNeedConfirmation(removals: number, linked: number, threshold: { count: number; percent: number }): boolean {
  if (removals === 0) return false;
  if (removals > threshold.count) return true;
  return linked > 0 && (removals * 100) / linked > threshold.percent;
}
