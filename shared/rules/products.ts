/**
 * Pure rules of Products: agent settings (event log IDs, remote assistance, security mode, what an
 * Organization Administrator may see), reporting-group overrides, license key masking, calendar
 * ranges of the consumption chart and the CSV of daily figures. The core enforces them; the UI
 * uses the same functions to say what is wrong before anything is sent.
 */
import {
  AGENT_SETTING_KEYS, EVENT_LOG_LEVELS, LIMITS_PRODUCTS, ORG_ADMIN_HIDDEN_SETTINGS,
  type AgentSettingKey, type AgentSettings, type ConsoleRole, type CsvRowIssue, type PartialAgentSettings,
} from '../model/products.ts';
import type { FieldIssue } from '../model/errors.ts';

// ---------------------------------------------------------------- event log IDs

export type TagResult = { ok: true; value: number } | { ok: false; key: string; params?: Record<string, string | number> };

/** One event ID typed into the tag input: digits only, 1..65535 (Windows event IDs are 16-bit). */
export function parseEventIdTag(text: string, existing: readonly number[] = []): TagResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, key: 'products.event_id_invalid' };
  if (!/^\d+$/.test(trimmed)) return { ok: false, key: 'products.event_id_invalid' };
  const value = Number(trimmed);
  if (value < LIMITS_PRODUCTS.eventIdMin || value > LIMITS_PRODUCTS.eventIdMax) {
    return { ok: false, key: 'products.event_id_range', params: { min: LIMITS_PRODUCTS.eventIdMin, max: LIMITS_PRODUCTS.eventIdMax } };
  }
  if (existing.includes(value)) return { ok: false, key: 'products.event_id_duplicate', params: { id: value } };
  if (existing.length >= LIMITS_PRODUCTS.eventIdsPerLevel) {
    return { ok: false, key: 'products.event_ids_too_many', params: { max: LIMITS_PRODUCTS.eventIdsPerLevel } };
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------- agent settings

const UNATTENDED_TYPES: ReadonlySet<string> = new Set(['interactive_unattended', 'dynamic']);

/** What Simplified security gives up (the UI lists these; the core enforces the first two). */
export const SIMPLIFIED_SECURITY_LIMITATIONS = ['no_run_as_system', 'no_silent_unattended', 'no_elevation', 'basic_file_transfer'] as const;

/** Rules across settings, on the settings that take effect (a product's, or a group's merged ones). */
export function agentSettingsIssues(s: AgentSettings): Record<string, FieldIssue[]> {
  const issues: Record<string, FieldIssue[]> = {};
  const add = (field: string, key: string, params?: Record<string, string | number>) =>
    (issues[field] ??= []).push(params ? { key, params } : { key });
  for (const level of EVENT_LOG_LEVELS) {
    const seen = new Set<number>();
    for (const id of s.eventLogIds[level]) {
      if (seen.has(id)) add(`eventLogIds.${level}`, 'products.event_id_duplicate', { id });
      seen.add(id);
    }
  }
  if (s.silentUnattended && !UNATTENDED_TYPES.has(s.remoteAssistance)) add('silentUnattended', 'products.silent_needs_unattended');
  if (s.securityMode === 'simplified') {
    if (s.runAsSystemRole !== 'nobody') add('runAsSystemRole', 'products.simplified_no_run_as_system');
    if (s.silentUnattended) add('silentUnattended', 'products.simplified_no_silent');
  }
  return issues;
}

/** Settings stored by an older version or synced partially are completed from the defaults. */
export function completeSettings(stored: unknown, defaults: AgentSettings): AgentSettings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Partial<AgentSettings>;
  return {
    ...defaults,
    ...s,
    eventLogIds: { ...defaults.eventLogIds, ...(s.eventLogIds ?? {}) },
  };
}

export function mergeSettings(base: AgentSettings, overrides: PartialAgentSettings): AgentSettings {
  const merged = { ...base } as Record<string, unknown>;
  for (const key of AGENT_SETTING_KEYS) if (overrides[key] !== undefined) merged[key] = overrides[key];
  return merged as AgentSettings;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The settings where a group's effective value is not the product's. */
export function differingSettings(base: AgentSettings, overrides: PartialAgentSettings): AgentSettingKey[] {
  return AGENT_SETTING_KEYS.filter((k) => overrides[k] !== undefined && !same(overrides[k], base[k]));
}

export function hiddenSettingsFor(role: ConsoleRole): AgentSettingKey[] {
  return role === 'organization_administrator' ? [...ORG_ADMIN_HIDDEN_SETTINGS] : [];
}

/** Settings as a role may see them: hidden ones left out. */
export function visibleSettings<T extends PartialAgentSettings>(role: ConsoleRole, s: T): PartialAgentSettings {
  const hidden = new Set<string>(hiddenSettingsFor(role));
  return Object.fromEntries(Object.entries(s).filter(([k]) => !hidden.has(k))) as PartialAgentSettings;
}

/** The hidden settings a change would touch (the core refuses it for that role). */
export function hiddenSettingsTouched(role: ConsoleRole, keys: readonly string[]): string[] {
  const hidden = new Set<string>(hiddenSettingsFor(role));
  return keys.filter((k) => hidden.has(k));
}

// ---------------------------------------------------------------- license key

/** What SQLite and the UI keep of a license key: its last four characters. */
export function maskLicenseKey(key: string): string {
  const k = key.trim();
  return k.length === 0 ? '' : `••••${k.slice(-4)}`;
}

// ---------------------------------------------------------------- calendar days

const DAY_MS = 86_400_000;

export function isValidDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** Days from `from` to `to`, both included. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export const CHART_PERIODS = ['7', '30', '90', 'custom'] as const;
export type ChartPeriod = (typeof CHART_PERIODS)[number];

export type RangeResult = { ok: true; from: string; to: string } | { ok: false; field: 'from' | 'to'; key: string; params?: Record<string, number> };

/** The days a period covers, ending today; a custom range is checked (order, length, not in the future). */
export function periodRange(period: ChartPeriod, today: string, custom?: { from: string; to: string }): RangeResult {
  if (period !== 'custom') return { ok: true, from: addDays(today, -(Number(period) - 1)), to: today };
  const from = custom?.from ?? '';
  const to = custom?.to ?? '';
  return checkRange(from, to, today);
}

export function checkRange(from: string, to: string, today: string): RangeResult {
  if (!isValidDay(from)) return { ok: false, field: 'from', key: 'products.day_invalid' };
  if (!isValidDay(to)) return { ok: false, field: 'to', key: 'products.day_invalid' };
  if (from > to) return { ok: false, field: 'to', key: 'products.range_order' };
  if (to > today) return { ok: false, field: 'to', key: 'products.day_in_future' };
  if (daysInRange(from, to) > LIMITS_PRODUCTS.rangeMaxDays) {
    return { ok: false, field: 'from', key: 'products.range_too_long', params: { max: LIMITS_PRODUCTS.rangeMaxDays } };
  }
  return { ok: true, from, to };
}

// ---------------------------------------------------------------- CSV of daily figures

/** RFC 4180 records with the line each starts on; the delimiter (comma or semicolon) is the header's. */
export function parseCsvRecords(text: string): { line: number; cells: string[] }[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' && src[i + 1] === '\n') {
      i++;
      continue;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      line++;
      recordLine = line;
    } else cell += ch;
    i++;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** Header names accepted for each column, in the three UI languages (compared folded). */
const HEADERS: Record<'date' | 'product' | 'figure', readonly string[]> = {
  date: ['date', 'day', 'fecha', 'dia', 'data'],
  product: ['product code', 'product', 'code', 'codigo de producto', 'codigo do produto', 'producto', 'produto', 'codigo'],
  figure: ['figure', 'consumption', 'value', 'units', 'consumo', 'valor', 'unidades', 'cifra'],
};

const foldHeader = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase().replace(/[_\s]+/g, ' ');

export interface ConsumptionCsvRow {
  line: number;
  day: string;
  code: string;
  figure: number;
}

/**
 * Check every row of a daily-figures CSV: date (YYYY-MM-DD, a real day, not in the future), product
 * code (not empty; whether it exists is the core's check), figure (a whole number from 0), and no
 * second row for the same product and day. Every problem is reported with its line.
 */
export function parseConsumptionCsv(text: string, today: string): { rows: ConsumptionCsvRow[]; errors: CsvRowIssue[]; total: number } {
  const errors: CsvRowIssue[] = [];
  const records = parseCsvRecords(text);
  const header = records[0];
  if (!header) return { rows: [], errors: [{ line: 1, column: 'file', key: 'products.csv_empty' }], total: 0 };
  const folded = header.cells.map(foldHeader);
  const index = {
    date: folded.findIndex((h) => HEADERS.date.includes(h)),
    product: folded.findIndex((h) => HEADERS.product.includes(h)),
    figure: folded.findIndex((h) => HEADERS.figure.includes(h)),
  };
  const missing = (Object.keys(index) as (keyof typeof index)[]).filter((k) => index[k] < 0);
  if (missing.length > 0) {
    return { rows: [], errors: missing.map((column) => ({ line: header.line, column, key: 'products.csv_missing_column' })), total: records.length - 1 };
  }
  if (records.length === 1) return { rows: [], errors: [{ line: header.line, column: 'file', key: 'products.csv_no_rows' }], total: 0 };
  if (records.length - 1 > LIMITS_PRODUCTS.csvMaxRows) {
    return { rows: [], errors: [{ line: 1, column: 'file', key: 'products.csv_too_many_rows', params: { max: LIMITS_PRODUCTS.csvMaxRows } }], total: records.length - 1 };
  }
  const rows: ConsumptionCsvRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, cells } of records.slice(1)) {
    const day = (cells[index.date] ?? '').trim();
    const code = (cells[index.product] ?? '').trim();
    const figureText = (cells[index.figure] ?? '').trim();
    let ok = true;
    if (!isValidDay(day)) {
      errors.push({ line, column: 'date', key: day === '' ? 'products.csv_date_required' : 'products.csv_date_invalid', params: { value: day } });
      ok = false;
    } else if (day > today) {
      errors.push({ line, column: 'date', key: 'products.day_in_future', params: { value: day } });
      ok = false;
    }
    if (code === '') {
      errors.push({ line, column: 'product', key: 'products.csv_code_required' });
      ok = false;
    }
    const figure = Number(figureText);
    if (figureText === '') {
      errors.push({ line, column: 'figure', key: 'products.csv_figure_required' });
      ok = false;
    } else if (!/^\d+$/.test(figureText) || figure > LIMITS_PRODUCTS.figureMax) {
      errors.push({ line, column: 'figure', key: 'products.csv_figure_invalid', params: { value: figureText, max: LIMITS_PRODUCTS.figureMax } });
      ok = false;
    }
    if (!ok) continue;
    const key = `${code.toLowerCase()}|${day}`;
    const earlier = firstLineOf.get(key);
    if (earlier !== undefined) {
      errors.push({ line, column: 'date', key: 'products.csv_duplicate', params: { other: earlier, code, value: day } });
      continue;
    }
    firstLineOf.set(key, line);
    rows.push({ line, day, code, figure });
  }
  return { rows, errors, total: records.length - 1 };
}
