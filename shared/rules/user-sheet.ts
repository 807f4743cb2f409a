/**
 * The users spreadsheet: the columns the exporter writes and the importer reads, defined once.
 *
 * - Headers are matched in English, Spanish and Portuguese, ignoring case, accents, spaces,
 *   punctuation and a bracketed note ("Email Address [Required]").
 * - Cells are cleaned the same way for every format (trim incl. NBSP; one leading `'` before a
 *   formula trigger is removed, so our own neutralized export reads back unchanged).
 * - Row validation returns i18n keys with params that name the column as the file names it, the
 *   offending value, the expected format and what to do. Texts: `userSheetMessages` below.
 *
 * Pure: no Node, no DOM.
 */
import { isValidEmail, LIMITS } from '../model/organization-values.ts';
import { fold } from './text.ts';
import type { UserStatus } from '../model/user-values.ts';

export const USER_SHEET_KEYS = [
  'name', 'email', 'role', 'organization', 'status', 'emailLoginEnabled',
  'source', 'createdAt', 'lastLogin', 'errors', 'sourceRow',
] as const;
export type UserSheetKey = (typeof USER_SHEET_KEYS)[number];
export type UserSheetLanguage = 'en' | 'es' | 'pt';

// The statuses are the user model's; re-exported for the sheet's callers.
export { USER_STATUSES, type UserStatus } from '../model/user-values.ts';

export interface UserSheetColumn {
  key: UserSheetKey;
  /** The header the exporter writes, per language. */
  header: Record<UserSheetLanguage, string>;
  /** Other spellings accepted on import (any language), compared after `normalizeHeader`. */
  aliases: readonly string[];
  required: boolean;
  /** Written on export for people to read; accepted and ignored on import. */
  readOnly: boolean;
  /** Written by the error report only; accepted and ignored on import. */
  reportOnly?: boolean;
  /** Excel column width in characters, for the exporter. */
  width: number;
}

export const USER_SHEET_COLUMNS: readonly UserSheetColumn[] = [
  {
    key: 'name', required: true, readOnly: false, width: 28,
    header: { en: 'Name', es: 'Nombre', pt: 'Nome' },
    aliases: ['full name', 'display name', 'nombre completo', 'nombre y apellidos', 'nome completo'],
  },
  {
    key: 'email', required: true, readOnly: false, width: 32,
    header: { en: 'Email', es: 'Correo electrónico', pt: 'E-mail' },
    aliases: ['e-mail', 'email address', 'e-mail address', 'mail', 'correo', 'correo-e', 'dirección de correo',
      'dirección de correo electrónico', 'endereço de e-mail', 'endereço de email', 'email do usuário'],
  },
  {
    key: 'role', required: false, readOnly: false, width: 16,
    header: { en: 'Role', es: 'Rol', pt: 'Função' },
    aliases: ['user role', 'papel', 'rol del usuario'],
  },
  {
    key: 'organization', required: false, readOnly: false, width: 28,
    header: { en: 'Organization', es: 'Organización', pt: 'Organização' },
    aliases: ['organisation', 'sub-organization', 'suborganization', 'suborganización', 'suborganização', 'org'],
  },
  {
    key: 'status', required: false, readOnly: false, width: 14,
    header: { en: 'Status', es: 'Estado', pt: 'Situação' },
    aliases: ['state', 'estado del usuario', 'status do usuário'],
  },
  {
    key: 'emailLoginEnabled', required: false, readOnly: false, width: 20,
    header: { en: 'Email login enabled', es: 'Inicio de sesión con correo habilitado', pt: 'Login por e-mail habilitado' },
    aliases: ['email login', 'e-mail login', 'inicio de sesión con correo', 'login por e-mail', 'login com e-mail', 'login por email'],
  },
  {
    key: 'source', required: false, readOnly: true, width: 14,
    header: { en: 'Source', es: 'Origen', pt: 'Origem' },
    aliases: [],
  },
  {
    key: 'createdAt', required: false, readOnly: true, width: 20,
    header: { en: 'Created', es: 'Creado', pt: 'Criado em' },
    aliases: ['created at', 'creation date', 'fecha de creación', 'creado el', 'data de criação', 'criado'],
  },
  {
    key: 'lastLogin', required: false, readOnly: true, width: 20,
    header: { en: 'Last login', es: 'Último inicio de sesión', pt: 'Último login' },
    aliases: ['last sign-in', 'last sign in', 'último acceso', 'último acesso'],
  },
  {
    key: 'errors', required: false, readOnly: true, reportOnly: true, width: 60,
    header: { en: 'Errors', es: 'Errores', pt: 'Erros' },
    aliases: [],
  },
  {
    key: 'sourceRow', required: false, readOnly: true, reportOnly: true, width: 12,
    header: { en: 'Original row', es: 'Fila original', pt: 'Linha original' },
    aliases: [],
  },
];

const columnByKey = new Map(USER_SHEET_COLUMNS.map((c) => [c.key, c]));

export function userSheetColumn(key: UserSheetKey): UserSheetColumn {
  return columnByKey.get(key)!;
}

/** The columns an export writes, in order (not the error-report-only ones). */
export function exportColumns(): UserSheetColumn[] {
  return USER_SHEET_COLUMNS.filter((c) => !c.reportOnly);
}

/** Limits for reading a users file. A default; callers may pass their own. */
export const USER_SHEET_LIMITS = {
  maxFileBytes: 50 * 1024 * 1024,
  maxRows: 200_000,
  maxColumns: 100,
  maxCellChars: 32_767,
  maxSharedStrings: 1_000_000,
  maxSharedStringChars: 64 * 1024 * 1024,
  zip: {
    maxEntries: 100,
    maxEntryBytes: 200 * 1024 * 1024,
    maxTotalBytes: 300 * 1024 * 1024,
    /** compressed / uncompressed, below which a part is refused as a zip bomb (Apache POI's rule). */
    minInflateRatio: 0.01,
    /** Parts smaller than this are exempt from the ratio rule. */
    ratioExemptBytes: 100 * 1024,
  },
};
export type UserSheetLimits = typeof USER_SHEET_LIMITS;

export const USER_NAME_MAX = LIMITS.nameMax;

// --- headers ---------------------------------------------------------------------------------

/** "Correo electrónico" -> "correoelectronico"; "Email Address [Required]" -> "emailaddress". */
export function normalizeHeader(header: string): string {
  const withoutNotes = header.replace(/\[[^\]]*\]|\([^)]*\)/g, ' ');
  return fold(withoutNotes).replace(/[^a-z0-9]/g, '');
}

const headerIndex = new Map<string, UserSheetKey>();
for (const c of USER_SHEET_COLUMNS) {
  for (const h of [c.key, c.header.en, c.header.es, c.header.pt, ...c.aliases]) headerIndex.set(normalizeHeader(h), c.key);
}

export interface HeaderMatch {
  /** For each column of the file: the key it maps to, or null (unknown or empty header). */
  columnOf: (UserSheetKey | null)[];
  unknown: { index: number; header: string }[];
  missingRequired: UserSheetKey[];
  /** A key claimed by more than one column; only the first is used (`columnOf` has it once). */
  duplicated: { key: UserSheetKey; indexes: number[] }[];
}

export function matchHeaders(headers: readonly string[]): HeaderMatch {
  const columnOf: (UserSheetKey | null)[] = [];
  const unknown: { index: number; header: string }[] = [];
  const seen = new Map<UserSheetKey, number[]>();
  headers.forEach((raw, index) => {
    const header = cleanCell(raw);
    const norm = normalizeHeader(header);
    const key = norm ? headerIndex.get(norm) ?? null : null;
    if (key === null) {
      columnOf.push(null);
      if (norm) unknown.push({ index, header });
      return;
    }
    const list = seen.get(key);
    if (list) {
      list.push(index);
      columnOf.push(null);
    } else {
      seen.set(key, [index]);
      columnOf.push(key);
    }
  });
  const missingRequired = USER_SHEET_COLUMNS.filter((c) => c.required && !seen.has(c.key)).map((c) => c.key);
  const duplicated = [...seen].filter(([, idx]) => idx.length > 1).map(([key, indexes]) => ({ key, indexes }));
  return { columnOf, unknown, missingRequired, duplicated };
}

/** "A", "B", … "AA": the column letter people see in Excel, for messages. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// --- cells -----------------------------------------------------------------------------------

// \s in JS covers NBSP, the Unicode space separators, BOM and line ends; add the zero-width ones.
const EDGE_SPACE = /^(?:\s|\u200B|\u200C|\u200D|\u2060)+|(?:\s|\u200B|\u200C|\u200D|\u2060)+$/g;

/**
 * Trim (NBSP and other Unicode spaces too) and remove one leading `'` placed before a formula
 * trigger (= + - @ tab CR), or before more quotes and a trigger, which is how our exports
 * neutralize such values (see `escapeLeadingQuote`).
 */
export function cleanCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const v = value.replace(EDGE_SPACE, '');
  return /^'+[=+\-@\t\r]/.test(v) ? v.slice(1).replace(EDGE_SPACE, '') : v;
}

/**
 * For exporters, before `neutralizeFormula`: a value that already starts with quotes and a trigger
 * ("'=x") gets one more quote, so `cleanCell` gives it back exactly.
 */
export function escapeLeadingQuote(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const YES = new Set(['y', 'yes', 'true', '1', 'si', 's', 'sim', 'verdadero', 'verdadeiro']);
const NO = new Set(['n', 'no', 'false', '0', 'nao', 'falso']);

/** Y/N, Yes/No, TRUE/FALSE, 1/0, Sí/Si/S/Sim, Não/Nao -> boolean; empty -> undefined (leave as is); else null. */
export function parseYesNo(value: string | null | undefined): boolean | null | undefined {
  const v = fold(cleanCell(value));
  if (v === '') return undefined;
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}

export function formatYesNo(value: boolean, lang: UserSheetLanguage = 'en'): string {
  if (lang === 'es') return value ? 'Sí' : 'No';
  if (lang === 'pt') return value ? 'Sim' : 'Não';
  return value ? 'Y' : 'N';
}

const STATUS_WORDS: Record<UserStatus, Record<UserSheetLanguage, string>> = {
  active: { en: 'active', es: 'activo', pt: 'ativo' },
  // Only directory import makes pending users; a sheet cannot set it (no alias below).
  pending: { en: 'pending', es: 'pendiente', pt: 'pendente' },
  deactivated: { en: 'deactivated', es: 'desactivado', pt: 'desativado' },
  archived: { en: 'archived', es: 'archivado', pt: 'arquivado' },
};
const STATUS_ALIASES: Record<string, UserStatus> = {
  active: 'active', activo: 'active', activa: 'active', ativo: 'active', ativa: 'active', enabled: 'active',
  deactivated: 'deactivated', inactive: 'deactivated', disabled: 'deactivated', desactivado: 'deactivated',
  desactivada: 'deactivated', inactivo: 'deactivated', desativado: 'deactivated', desativada: 'deactivated', inativo: 'deactivated',
  archived: 'archived', archivado: 'archived', archivada: 'archived', arquivado: 'archived', arquivada: 'archived',
};

/** A status word in any of the three languages -> the status; empty -> undefined; else null. */
export function parseStatus(value: string | null | undefined): UserStatus | null | undefined {
  const v = fold(cleanCell(value));
  if (v === '') return undefined;
  return STATUS_ALIASES[v] ?? null;
}

export function formatStatus(status: UserStatus, lang: UserSheetLanguage = 'en'): string {
  return STATUS_WORDS[status][lang];
}

// --- rows ------------------------------------------------------------------------------------

/** A cell as the importer hands it over: its text, or a marker that Excel stored a formula there. */
export type UserSheetCell = string | { formula: true; text?: string };

/**
 * What rows are checked against. Its role and organization lists are indexed once per array (by
 * identity, see keysOf): hand over new arrays rather than changing these between rows.
 */
export interface UserRowContext {
  /** Role names this organization offers (matched case-insensitively; the value gets their spelling). */
  roles: readonly string[];
  /** Organizations a row may name (by name or by path "Client / Sub"). Absent: the column is not allowed. */
  organizations?: readonly { id: string; name: string; path: string }[];
  /** How the file names each column, so messages use the user's own header. Defaults to English. */
  headers?: Partial<Record<UserSheetKey, string>>;
}

export interface UserRowValue {
  name: string;
  email: string;
  role?: string;
  organizationId?: string;
  status?: UserStatus;
  emailLoginEnabled?: boolean;
}

export interface RowIssue {
  key: string;
  params?: Record<string, string | number>;
}

export interface UserRowResult {
  value: UserRowValue;
  errors: Partial<Record<UserSheetKey, RowIssue[]>>;
}

/** Values longer than this are cut in messages, so a message stays readable. */
const SHOWN_VALUE_MAX = 60;
function shown(value: string): string {
  return value.length > SHOWN_VALUE_MAX ? `${value.slice(0, SHOWN_VALUE_MAX - 1)}…` : value;
}

function orgKey(value: string): string {
  return fold(value).replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ');
}

/**
 * The context's roles and organizations by their folded keys, computed once per context (an import
 * validates 100,000 rows against the same lists: folding every role and organization name again for
 * each row was most of validateUserRow's time, and grew with the number of organizations).
 */
interface ContextKeys {
  roleByFold: Map<string, string>;
  orgsByPath: Map<string, { id: string; path: string }[]>;
  orgsByName: Map<string, { id: string; path: string }[]>;
}
const contextKeys = new WeakMap<readonly string[], WeakMap<object, ContextKeys>>();
const NO_ORGANIZATIONS: readonly { id: string; name: string; path: string }[] = [];

function keysOf(ctx: UserRowContext): ContextKeys {
  let byOrgs = contextKeys.get(ctx.roles);
  if (!byOrgs) contextKeys.set(ctx.roles, (byOrgs = new WeakMap()));
  const orgs = ctx.organizations ?? NO_ORGANIZATIONS;
  let keys = byOrgs.get(orgs);
  if (!keys) {
    const roleByFold = new Map<string, string>();
    for (const r of ctx.roles) if (!roleByFold.has(fold(r))) roleByFold.set(fold(r), r); // the first, as find() did
    const group = (key: (o: { name: string; path: string }) => string) => {
      const map = new Map<string, { id: string; path: string }[]>();
      for (const o of orgs) {
        const k = key(o);
        const list = map.get(k);
        if (list) list.push(o);
        else map.set(k, [o]);
      }
      return map;
    };
    keys = { roleByFold, orgsByPath: group((o) => orgKey(o.path)), orgsByName: group((o) => orgKey(o.name)) };
    byOrgs.set(orgs, keys);
  }
  return keys;
}

export function validateUserRow(
  cells: Partial<Record<UserSheetKey, UserSheetCell | undefined>>,
  ctx: UserRowContext,
): UserRowResult {
  const errors: Partial<Record<UserSheetKey, RowIssue[]>> = {};
  const column = (key: UserSheetKey) => ctx.headers?.[key] ?? userSheetColumn(key).header.en;
  const add = (key: UserSheetKey, msg: string, params: Record<string, string | number> = {}) => {
    (errors[key] ??= []).push({ key: `userSheet.row.${msg}`, params: { column: column(key), ...params } });
  };
  const text = (key: UserSheetKey): string | undefined => {
    const cell = cells[key];
    if (cell === undefined) return undefined;
    if (typeof cell !== 'string') {
      add(key, 'formula', { value: shown(cleanCell(cell.text ?? '')) });
      return undefined;
    }
    return cleanCell(cell);
  };

  const name = text('name');
  if (name !== undefined) {
    if (name === '') add('name', 'name_required');
    else if (name.length > USER_NAME_MAX) add('name', 'name_too_long', { length: name.length, max: USER_NAME_MAX });
  } else if (!errors.name) add('name', 'name_required');

  const rawEmail = text('email');
  if (rawEmail !== undefined) {
    if (rawEmail === '') add('email', 'email_required');
    else if (rawEmail.length > LIMITS.emailMax) add('email', 'email_too_long', { length: rawEmail.length, max: LIMITS.emailMax });
    else if (!isValidEmail(rawEmail)) add('email', 'email_invalid', { value: shown(rawEmail) });
  } else if (!errors.email) add('email', 'email_required');

  const value: UserRowValue = { name: name ?? '', email: (rawEmail ?? '').toLowerCase() };

  const keys = keysOf(ctx);
  const role = text('role');
  if (role) {
    const match = keys.roleByFold.get(fold(role));
    if (match === undefined) add('role', 'role_unknown', { value: shown(role), roles: ctx.roles.join(', ') });
    else value.role = match;
  }

  const org = text('organization');
  if (org) {
    if (!ctx.organizations) add('organization', 'organization_not_allowed', { value: shown(org) });
    else {
      const k = orgKey(org);
      const byPath = keys.orgsByPath.get(k) ?? [];
      const byName = byPath.length ? byPath : (keys.orgsByName.get(k) ?? []);
      if (byName.length === 1) value.organizationId = byName[0]!.id;
      else if (byName.length === 0) add('organization', 'organization_unknown', { value: shown(org) });
      else add('organization', 'organization_ambiguous', { value: shown(org), count: byName.length, example: byName[0]!.path });
    }
  }

  const statusText = text('status');
  const status = parseStatus(statusText);
  if (status === null) add('status', 'status_invalid', { value: shown(statusText ?? '') });
  else if (status !== undefined) value.status = status;

  const loginText = text('emailLoginEnabled');
  const login = parseYesNo(loginText);
  if (login === null) add('emailLoginEnabled', 'yes_no_invalid', { value: shown(loginText ?? '') });
  else if (login !== undefined) value.emailLoginEnabled = login;

  // Read-only columns: a formula there is harmless, and their values are ignored.
  return { value, errors };
}

/**
 * Rows sharing an email (case-insensitive, trimmed): for each such row, the other rows' numbers.
 * Both rows of a pair are errors, each naming the other.
 */
export function findDuplicateEmails(rows: Iterable<{ rowNumber: number; email: string }>): Map<number, number[]> {
  const byEmail = new Map<string, number[]>();
  for (const r of rows) {
    const e = cleanCell(r.email).toLowerCase();
    if (!e) continue;
    const list = byEmail.get(e);
    if (list) list.push(r.rowNumber);
    else byEmail.set(e, [r.rowNumber]);
  }
  const out = new Map<number, number[]>();
  for (const list of byEmail.values()) {
    if (list.length < 2) continue;
    for (const n of list) out.set(n, list.filter((m) => m !== n));
  }
  return out;
}

/** The issue for a duplicate email, naming the other rows. */
export function duplicateEmailIssue(email: string, otherRows: readonly number[], column = 'Email'): RowIssue {
  return {
    key: otherRows.length === 1 ? 'userSheet.row.email_duplicate' : 'userSheet.row.email_duplicate_many',
    params: { column, value: shown(cleanCell(email).toLowerCase()), rows: otherRows.join(', ') },
  };
}

// --- messages (the lead merges these into shared/i18n under `userSheet`) ----------------------

const en = {
  row: {
    formula: '{{column}}: the cell contains a formula ({{value}}). Type the value itself instead (in Excel: Copy, then Paste Special > Values).',
    name_required: '{{column}} is empty. Enter the person\'s full name.',
    name_too_long: '{{column}}: the name is {{length}} characters long; the limit is {{max}}. Shorten it.',
    email_required: '{{column}} is empty. Enter the person\'s email address, like name@example.com.',
    email_invalid: '{{column}}: "{{value}}" is not a valid email address. Use the form name@example.com, without spaces.',
    email_too_long: '{{column}}: the address is {{length}} characters long; the limit is {{max}}.',
    email_duplicate: '{{column}}: "{{value}}" also appears in row {{rows}}. Each person can appear only once: delete or merge one of the two rows.',
    email_duplicate_many: '{{column}}: "{{value}}" also appears in rows {{rows}}. Each person can appear only once: keep one row and delete the others.',
    role_unknown: '{{column}}: "{{value}}" is not a role here. Use one of: {{roles}}.',
    organization_unknown: '{{column}}: "{{value}}" is not an organization you can import into. Use a name or a path like "Client / Sub" from the organization tree.',
    organization_ambiguous: '{{column}}: "{{value}}" matches {{count}} organizations. Use the full path instead, like "{{example}}".',
    organization_not_allowed: '{{column}}: "{{value}}" names an organization, but this import goes into one organization only. Leave the cell empty or delete the column.',
    status_invalid: '{{column}}: "{{value}}" is not a status. Use active, deactivated or archived.',
    yes_no_invalid: '{{column}}: "{{value}}" is not Y or N. Use Y or N.',
  },
  header: {
    missing_required: 'The file has no "{{column}}" column. Add a column headed "{{column}}" in the first row (an exported users file has one).',
    unknown: 'Column {{letter}} ("{{header}}") is not a users column and will be ignored. Known columns: {{known}}.',
    duplicated: 'Columns {{letters}} are all "{{column}}". Keep one of them and delete the others.',
  },
  file: {
    unreadable: 'The file could not be opened. Check that it still exists and that you are allowed to read it, then try again.',
    empty: 'The file is empty. Export the users list to get a file with the right columns, fill it in and import it.',
    header_only: 'The file has column headers but no users. Add one row per user below the headers.',
    too_large: 'The file is {{size}} MB; the limit is {{max}} MB. Split the users into several files and import them one by one.',
    not_spreadsheet: 'This file is not a spreadsheet Orgdesk can read: it contains {{detected}} data, whatever its name says. Choose an Excel workbook (.xlsx) or a CSV or text file (.csv, .txt).',
    not_spreadsheet_binary: 'This file is not a spreadsheet: it contains binary data, whatever its name says. Choose an Excel workbook (.xlsx) or a CSV or text file (.csv, .txt).',
    other_zip: 'This file is a ZIP archive but not an Excel workbook. Choose an Excel workbook (.xlsx) or a CSV or text file (.csv, .txt).',
    legacy_xls: 'This is an Excel 97-2003 workbook (.xls), which Orgdesk does not read. Open it in Excel and choose File > Save As > Excel Workbook (.xlsx) or CSV UTF-8, then import the new file.',
    ods: 'This is an OpenDocument spreadsheet (.ods), which Orgdesk does not read. Open it in LibreOffice or Excel and save it as Excel 2007-365 (.xlsx) or CSV, then import the new file.',
    xlsb: 'This is an Excel binary workbook (.xlsb), which Orgdesk does not read. Open it in Excel and save it as Excel Workbook (.xlsx), then import the new file.',
    password_protected: 'This workbook is password-protected, so Orgdesk cannot read it. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear it), save it and import it again.',
    other_office: 'This is an Office document but not a spreadsheet. Choose an Excel workbook (.xlsx) or a CSV or text file (.csv, .txt).',
    broken: 'The file is damaged and cannot be read ({{detail}}). Open it in Excel, save it again as Excel Workbook (.xlsx), and import the new file.',
    no_sheet: 'The workbook has no worksheet to read. Put the users on the first sheet and save the file again.',
    zip_bomb: 'The workbook unpacks to far more data than a users list needs ({{part}}: {{size}} MB from {{compressed}} MB), so it was refused for safety. If the file is genuine, copy the users into a new workbook and import that.',
    zip_too_many_parts: 'The workbook has {{count}} internal parts; a users list needs far fewer (the limit is {{max}}). Copy the users into a new workbook and import that.',
    zip_lies: 'A part of the workbook ({{part}}) holds more data than the file declares, a sign of a damaged or malicious file, so it was refused for safety. Open it in Excel, save it again as Excel Workbook (.xlsx), and import the new file.',
    zip_too_big: 'The workbook unpacks to more than {{max}} MB, which is far more than a users list needs. Split the users into several files.',
    too_many_rows: 'The sheet has more than {{max}} user rows. Split it into files of at most {{max}} rows and import them one by one.',
    too_many_columns: 'Row {{row}} has data in column {{letter}}, beyond the limit of {{max}} columns. Delete the extra columns and import again.',
    cell_too_long: 'Row {{row}}, column {{letter}}: the cell holds more than {{max}} characters, which is more than Excel allows. Shorten it.',
    too_many_strings: 'The workbook holds more than {{max}} different texts, far more than a users list needs; it may be damaged. Copy the users into a new workbook and import that.',
    strings_too_big: 'The workbook holds more than {{max}} MB of text, far more than a users list needs; it may be damaged. Copy the users into a new workbook and import that.',
    timeout: 'Reading the file took longer than {{seconds}} seconds and was stopped. Split the users into smaller files and import them one by one.',
    out_of_memory: 'Reading the file needed more than {{max}} MB of memory and was stopped. Split the users into smaller files, or save the workbook as CSV and import that.',
    cancelled: 'The file was not read: you cancelled. Nothing was changed.',
    failed: 'The file could not be read because of an unexpected problem ({{detail}}). Save it again as Excel Workbook (.xlsx) or CSV UTF-8 and try again.',
  },
  notice: {
    more_sheets: 'The workbook has {{count}} sheets; only the first one, "{{sheet}}", was read.',
    windows_1252: 'The file is not UTF-8, so it was read as Western European (Windows-1252). If accented letters look wrong, save it as CSV UTF-8 and import it again.',
  },
  column: {
    errors: 'Errors',
    sourceRow: 'Original row',
  },
};

const es: typeof en = {
  row: {
    formula: '{{column}}: la celda contiene una fórmula ({{value}}). Escriba el valor en su lugar (en Excel: Copiar y luego Pegado especial > Valores).',
    name_required: '{{column}} está vacío. Escriba el nombre completo de la persona.',
    name_too_long: '{{column}}: el nombre tiene {{length}} caracteres; el límite es {{max}}. Acórtelo.',
    email_required: '{{column}} está vacío. Escriba la dirección de correo de la persona, como nombre@ejemplo.com.',
    email_invalid: '{{column}}: "{{value}}" no es una dirección de correo válida. Use la forma nombre@ejemplo.com, sin espacios.',
    email_too_long: '{{column}}: la dirección tiene {{length}} caracteres; el límite es {{max}}.',
    email_duplicate: '{{column}}: "{{value}}" también aparece en la fila {{rows}}. Cada persona puede aparecer una sola vez: elimine o combine una de las dos filas.',
    email_duplicate_many: '{{column}}: "{{value}}" también aparece en las filas {{rows}}. Cada persona puede aparecer una sola vez: conserve una fila y elimine las demás.',
    role_unknown: '{{column}}: "{{value}}" no es un rol de esta organización. Use uno de: {{roles}}.',
    organization_unknown: '{{column}}: "{{value}}" no es una organización a la que pueda importar. Use un nombre o una ruta como "Cliente / Sub" del árbol de organizaciones.',
    organization_ambiguous: '{{column}}: "{{value}}" coincide con {{count}} organizaciones. Use la ruta completa, como "{{example}}".',
    organization_not_allowed: '{{column}}: "{{value}}" indica una organización, pero esta importación va a una sola organización. Deje la celda vacía o elimine la columna.',
    status_invalid: '{{column}}: "{{value}}" no es un estado. Use activo, desactivado o archivado.',
    yes_no_invalid: '{{column}}: "{{value}}" no es S ni N. Use S o N.',
  },
  header: {
    missing_required: 'El archivo no tiene la columna "{{column}}". Añada una columna con el encabezado "{{column}}" en la primera fila (un archivo de usuarios exportado la tiene).',
    unknown: 'La columna {{letter}} ("{{header}}") no es una columna de usuarios y se ignorará. Columnas conocidas: {{known}}.',
    duplicated: 'Las columnas {{letters}} son todas "{{column}}". Conserve una y elimine las demás.',
  },
  file: {
    unreadable: 'No se pudo abrir el archivo. Compruebe que todavía existe y que tiene permiso para leerlo, y vuelva a intentarlo.',
    empty: 'El archivo está vacío. Exporte la lista de usuarios para obtener un archivo con las columnas correctas, rellénelo e impórtelo.',
    header_only: 'El archivo tiene encabezados de columna pero ningún usuario. Añada una fila por usuario debajo de los encabezados.',
    too_large: 'El archivo ocupa {{size}} MB; el límite es {{max}} MB. Divida los usuarios en varios archivos e impórtelos uno a uno.',
    not_spreadsheet: 'Este archivo no es una hoja de cálculo que Orgdesk pueda leer: contiene datos {{detected}}, diga lo que diga su nombre. Elija un libro de Excel (.xlsx) o un archivo CSV o de texto (.csv, .txt).',
    not_spreadsheet_binary: 'Este archivo no es una hoja de cálculo: contiene datos binarios, diga lo que diga su nombre. Elija un libro de Excel (.xlsx) o un archivo CSV o de texto (.csv, .txt).',
    other_zip: 'Este archivo es un ZIP pero no un libro de Excel. Elija un libro de Excel (.xlsx) o un archivo CSV o de texto (.csv, .txt).',
    legacy_xls: 'Este es un libro de Excel 97-2003 (.xls), que Orgdesk no lee. Ábralo en Excel y elija Archivo > Guardar como > Libro de Excel (.xlsx) o CSV UTF-8, e importe el archivo nuevo.',
    ods: 'Esta es una hoja de cálculo OpenDocument (.ods), que Orgdesk no lee. Ábrala en LibreOffice o Excel y guárdela como Excel 2007-365 (.xlsx) o CSV, e importe el archivo nuevo.',
    xlsb: 'Este es un libro binario de Excel (.xlsb), que Orgdesk no lee. Ábralo en Excel y guárdelo como Libro de Excel (.xlsx), e importe el archivo nuevo.',
    password_protected: 'Este libro está protegido con contraseña, así que Orgdesk no puede leerlo. Ábralo en Excel, quite la contraseña (Archivo > Información > Proteger libro > Cifrar con contraseña y bórrela), guárdelo e impórtelo de nuevo.',
    other_office: 'Este es un documento de Office pero no una hoja de cálculo. Elija un libro de Excel (.xlsx) o un archivo CSV o de texto (.csv, .txt).',
    broken: 'El archivo está dañado y no se puede leer ({{detail}}). Ábralo en Excel, guárdelo de nuevo como Libro de Excel (.xlsx) e importe el archivo nuevo.',
    no_sheet: 'El libro no tiene ninguna hoja que leer. Ponga los usuarios en la primera hoja y guarde el archivo de nuevo.',
    zip_bomb: 'El libro se descomprime en muchos más datos de los que necesita una lista de usuarios ({{part}}: {{size}} MB a partir de {{compressed}} MB), así que se rechazó por seguridad. Si el archivo es legítimo, copie los usuarios en un libro nuevo e importe ese.',
    zip_too_many_parts: 'El libro tiene {{count}} partes internas; una lista de usuarios necesita muchas menos (el límite es {{max}}). Copie los usuarios en un libro nuevo e importe ese.',
    zip_lies: 'Una parte del libro ({{part}}) contiene más datos de los que declara el archivo, señal de un archivo dañado o malicioso, así que se rechazó por seguridad. Ábralo en Excel, guárdelo de nuevo como Libro de Excel (.xlsx) e importe el archivo nuevo.',
    zip_too_big: 'El libro se descomprime en más de {{max}} MB, mucho más de lo que necesita una lista de usuarios. Divida los usuarios en varios archivos.',
    too_many_rows: 'La hoja tiene más de {{max}} filas de usuarios. Divídala en archivos de como máximo {{max}} filas e impórtelos uno a uno.',
    too_many_columns: 'La fila {{row}} tiene datos en la columna {{letter}}, más allá del límite de {{max}} columnas. Elimine las columnas sobrantes e importe de nuevo.',
    cell_too_long: 'Fila {{row}}, columna {{letter}}: la celda tiene más de {{max}} caracteres, más de lo que permite Excel. Acórtela.',
    too_many_strings: 'El libro contiene más de {{max}} textos distintos, muchos más de los que necesita una lista de usuarios; puede estar dañado. Copie los usuarios en un libro nuevo e importe ese.',
    strings_too_big: 'El libro contiene más de {{max}} MB de texto, mucho más de lo que necesita una lista de usuarios; puede estar dañado. Copie los usuarios en un libro nuevo e importe ese.',
    timeout: 'La lectura del archivo tardó más de {{seconds}} segundos y se detuvo. Divida los usuarios en archivos más pequeños e impórtelos uno a uno.',
    out_of_memory: 'La lectura del archivo necesitó más de {{max}} MB de memoria y se detuvo. Divida los usuarios en archivos más pequeños, o guarde el libro como CSV e importe ese.',
    cancelled: 'El archivo no se leyó: usted canceló. No se cambió nada.',
    failed: 'No se pudo leer el archivo por un problema inesperado ({{detail}}). Guárdelo de nuevo como Libro de Excel (.xlsx) o CSV UTF-8 y vuelva a intentarlo.',
  },
  notice: {
    more_sheets: 'El libro tiene {{count}} hojas; solo se leyó la primera, "{{sheet}}".',
    windows_1252: 'El archivo no está en UTF-8, así que se leyó como Europa occidental (Windows-1252). Si las letras acentuadas se ven mal, guárdelo como CSV UTF-8 e impórtelo de nuevo.',
  },
  column: {
    errors: 'Errores',
    sourceRow: 'Fila original',
  },
};

const pt: typeof en = {
  row: {
    formula: '{{column}}: a célula contém uma fórmula ({{value}}). Digite o próprio valor (no Excel: Copiar e depois Colar especial > Valores).',
    name_required: '{{column}} está vazio. Digite o nome completo da pessoa.',
    name_too_long: '{{column}}: o nome tem {{length}} caracteres; o limite é {{max}}. Encurte-o.',
    email_required: '{{column}} está vazio. Digite o endereço de e-mail da pessoa, como nome@exemplo.com.',
    email_invalid: '{{column}}: "{{value}}" não é um endereço de e-mail válido. Use a forma nome@exemplo.com, sem espaços.',
    email_too_long: '{{column}}: o endereço tem {{length}} caracteres; o limite é {{max}}.',
    email_duplicate: '{{column}}: "{{value}}" também aparece na linha {{rows}}. Cada pessoa pode aparecer uma só vez: exclua ou junte uma das duas linhas.',
    email_duplicate_many: '{{column}}: "{{value}}" também aparece nas linhas {{rows}}. Cada pessoa pode aparecer uma só vez: mantenha uma linha e exclua as outras.',
    role_unknown: '{{column}}: "{{value}}" não é uma função desta organização. Use uma de: {{roles}}.',
    organization_unknown: '{{column}}: "{{value}}" não é uma organização para a qual você pode importar. Use um nome ou um caminho como "Cliente / Sub" da árvore de organizações.',
    organization_ambiguous: '{{column}}: "{{value}}" corresponde a {{count}} organizações. Use o caminho completo, como "{{example}}".',
    organization_not_allowed: '{{column}}: "{{value}}" indica uma organização, mas esta importação vai para uma única organização. Deixe a célula vazia ou exclua a coluna.',
    status_invalid: '{{column}}: "{{value}}" não é uma situação. Use ativo, desativado ou arquivado.',
    yes_no_invalid: '{{column}}: "{{value}}" não é S nem N. Use S ou N.',
  },
  header: {
    missing_required: 'O arquivo não tem a coluna "{{column}}". Adicione uma coluna com o cabeçalho "{{column}}" na primeira linha (um arquivo de usuários exportado tem essa coluna).',
    unknown: 'A coluna {{letter}} ("{{header}}") não é uma coluna de usuários e será ignorada. Colunas conhecidas: {{known}}.',
    duplicated: 'As colunas {{letters}} são todas "{{column}}". Mantenha uma e exclua as outras.',
  },
  file: {
    unreadable: 'Não foi possível abrir o arquivo. Verifique se ele ainda existe e se você tem permissão para lê-lo, e tente de novo.',
    empty: 'O arquivo está vazio. Exporte a lista de usuários para obter um arquivo com as colunas certas, preencha-o e importe-o.',
    header_only: 'O arquivo tem cabeçalhos de coluna, mas nenhum usuário. Adicione uma linha por usuário abaixo dos cabeçalhos.',
    too_large: 'O arquivo tem {{size}} MB; o limite é {{max}} MB. Divida os usuários em vários arquivos e importe-os um por um.',
    not_spreadsheet: 'Este arquivo não é uma planilha que o Orgdesk consiga ler: ele contém dados {{detected}}, seja qual for o nome. Escolha uma pasta de trabalho do Excel (.xlsx) ou um arquivo CSV ou de texto (.csv, .txt).',
    not_spreadsheet_binary: 'Este arquivo não é uma planilha: ele contém dados binários, seja qual for o nome. Escolha uma pasta de trabalho do Excel (.xlsx) ou um arquivo CSV ou de texto (.csv, .txt).',
    other_zip: 'Este arquivo é um ZIP, mas não uma pasta de trabalho do Excel. Escolha uma pasta de trabalho do Excel (.xlsx) ou um arquivo CSV ou de texto (.csv, .txt).',
    legacy_xls: 'Esta é uma pasta de trabalho do Excel 97-2003 (.xls), que o Orgdesk não lê. Abra-a no Excel e escolha Arquivo > Salvar como > Pasta de Trabalho do Excel (.xlsx) ou CSV UTF-8, e importe o arquivo novo.',
    ods: 'Esta é uma planilha OpenDocument (.ods), que o Orgdesk não lê. Abra-a no LibreOffice ou no Excel e salve-a como Excel 2007-365 (.xlsx) ou CSV, e importe o arquivo novo.',
    xlsb: 'Esta é uma pasta de trabalho binária do Excel (.xlsb), que o Orgdesk não lê. Abra-a no Excel e salve-a como Pasta de Trabalho do Excel (.xlsx), e importe o arquivo novo.',
    password_protected: 'Esta pasta de trabalho está protegida por senha, então o Orgdesk não consegue lê-la. Abra-a no Excel, remova a senha (Arquivo > Informações > Proteger Pasta de Trabalho > Criptografar com Senha e apague-a), salve e importe de novo.',
    other_office: 'Este é um documento do Office, mas não uma planilha. Escolha uma pasta de trabalho do Excel (.xlsx) ou um arquivo CSV ou de texto (.csv, .txt).',
    broken: 'O arquivo está danificado e não pode ser lido ({{detail}}). Abra-o no Excel, salve-o de novo como Pasta de Trabalho do Excel (.xlsx) e importe o arquivo novo.',
    no_sheet: 'A pasta de trabalho não tem nenhuma planilha para ler. Coloque os usuários na primeira planilha e salve o arquivo de novo.',
    zip_bomb: 'A pasta de trabalho se descompacta em muito mais dados do que uma lista de usuários precisa ({{part}}: {{size}} MB a partir de {{compressed}} MB), então foi recusada por segurança. Se o arquivo for legítimo, copie os usuários para uma pasta de trabalho nova e importe essa.',
    zip_too_many_parts: 'A pasta de trabalho tem {{count}} partes internas; uma lista de usuários precisa de muito menos (o limite é {{max}}). Copie os usuários para uma pasta de trabalho nova e importe essa.',
    zip_lies: 'Uma parte da pasta de trabalho ({{part}}) contém mais dados do que o arquivo declara, sinal de um arquivo danificado ou malicioso, então foi recusada por segurança. Abra-a no Excel, salve-a de novo como Pasta de Trabalho do Excel (.xlsx) e importe o arquivo novo.',
    zip_too_big: 'A pasta de trabalho se descompacta em mais de {{max}} MB, muito mais do que uma lista de usuários precisa. Divida os usuários em vários arquivos.',
    too_many_rows: 'A planilha tem mais de {{max}} linhas de usuários. Divida-a em arquivos de no máximo {{max}} linhas e importe-os um por um.',
    too_many_columns: 'A linha {{row}} tem dados na coluna {{letter}}, além do limite de {{max}} colunas. Exclua as colunas a mais e importe de novo.',
    cell_too_long: 'Linha {{row}}, coluna {{letter}}: a célula tem mais de {{max}} caracteres, mais do que o Excel permite. Encurte-a.',
    too_many_strings: 'A pasta de trabalho contém mais de {{max}} textos diferentes, muito mais do que uma lista de usuários precisa; ela pode estar danificada. Copie os usuários para uma pasta de trabalho nova e importe essa.',
    strings_too_big: 'A pasta de trabalho contém mais de {{max}} MB de texto, muito mais do que uma lista de usuários precisa; ela pode estar danificada. Copie os usuários para uma pasta de trabalho nova e importe essa.',
    timeout: 'A leitura do arquivo levou mais de {{seconds}} segundos e foi interrompida. Divida os usuários em arquivos menores e importe-os um por um.',
    out_of_memory: 'A leitura do arquivo precisou de mais de {{max}} MB de memória e foi interrompida. Divida os usuários em arquivos menores, ou salve a pasta de trabalho como CSV e importe esse.',
    cancelled: 'O arquivo não foi lido: você cancelou. Nada foi alterado.',
    failed: 'Não foi possível ler o arquivo por um problema inesperado ({{detail}}). Salve-o de novo como Pasta de Trabalho do Excel (.xlsx) ou CSV UTF-8 e tente de novo.',
  },
  notice: {
    more_sheets: 'A pasta de trabalho tem {{count}} planilhas; só a primeira, "{{sheet}}", foi lida.',
    windows_1252: 'O arquivo não está em UTF-8, então foi lido como Europa Ocidental (Windows-1252). Se as letras acentuadas aparecerem erradas, salve-o como CSV UTF-8 e importe-o de novo.',
  },
  column: {
    errors: 'Erros',
    sourceRow: 'Linha original',
  },
};

export const userSheetMessages = { en: { userSheet: en }, es: { userSheet: es }, pt: { userSheet: pt } } as const;

/** Interpolate one of the messages above (for the core's English messages and the tests). */
export function userSheetText(key: string, params: Record<string, string | number> = {}, lang: UserSheetLanguage = 'en'): string {
  let node: unknown = userSheetMessages[lang];
  for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  if (typeof node !== 'string') return key;
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** The header issues as messages (keys + params) for the preview, naming columns by letter. */
export function headerIssues(headers: readonly string[], match: HeaderMatch): { errors: RowIssue[]; warnings: RowIssue[] } {
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const known = exportColumns().filter((c) => !c.readOnly).map((c) => c.header.en).join(', ');
  for (const key of match.missingRequired) errors.push({ key: 'userSheet.header.missing_required', params: { column: userSheetColumn(key).header.en } });
  for (const d of match.duplicated) {
    errors.push({
      key: 'userSheet.header.duplicated',
      params: { letters: d.indexes.map(columnLetter).join(', '), column: cleanCell(headers[d.indexes[0]!]) },
    });
  }
  for (const u of match.unknown) warnings.push({ key: 'userSheet.header.unknown', params: { letter: columnLetter(u.index), header: u.header, known } });
  return { errors, warnings };
}
