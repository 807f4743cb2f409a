import type { CoreDeps } from './context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { AuditEntry, AuditFilter } from '../../../shared/model/audit.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { csvDocument } from '../../../shared/rules/csv.ts';
import { escapeLike } from '../../../shared/rules/text.ts';
import { fieldError } from '../errors.ts';

interface AuditRow {
  id: number;
  at: string;
  actor_id: string;
  actor_name: string;
  actor_email: string;
  org_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  target_label: string;
  before: string | null;
  after: string | null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Turn the filter's dates into ISO bounds; a bare date "to" includes that whole day (UTC). */
function bound(value: string | undefined, field: 'from' | 'to'): string | undefined {
  if (value === undefined || value === '') return undefined;
  const iso = DATE_ONLY.test(value) ? `${value}T${field === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : value;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw fieldError(field, 'audit.date_invalid');
  return date.toISOString();
}

export function createAuditHandlers(deps: CoreDeps) {
  const { db } = deps;

  function where(filter: AuditFilter, before?: number) {
    const clauses = ['org_id = @orgId'];
    const params: Record<string, unknown> = { orgId: filter.orgId };
    if (filter.actorId) { clauses.push('actor_id = @actorId'); params.actorId = filter.actorId; }
    if (filter.action) { clauses.push('action = @action'); params.action = filter.action; }
    if (filter.actionPrefix) { clauses.push("action LIKE @actionPrefix ESCAPE '\\'"); params.actionPrefix = `${escapeLike(filter.actionPrefix)}%`; }
    const from = bound(filter.from, 'from');
    const to = bound(filter.to, 'to');
    if (from && to && from > to) throw fieldError('to', 'audit.range_invalid');
    if (from) { clauses.push('at >= @from'); params.from = from; }
    if (to) { clauses.push('at <= @to'); params.to = to; }
    if (before !== undefined) { clauses.push('id < @before'); params.before = before; }
    return { sql: clauses.join(' AND '), params };
  }

  const toEntry = (r: AuditRow): AuditEntry => ({
    id: r.id, at: r.at, actor: { id: r.actor_id, name: r.actor_name, email: r.actor_email }, orgId: r.org_id,
    action: r.action, targetType: r.target_type, targetId: r.target_id, targetLabel: r.target_label,
    before: r.before ? (JSON.parse(r.before) as Record<string, unknown>) : null,
    after: r.after ? (JSON.parse(r.after) as Record<string, unknown>) : null,
  });

  return {
    'audit.list': (input: ParsedIn<'audit.list'>): Out<'audit.list'> => {
      const w = where(input, input.before);
      const rows = db.prepare(`SELECT * FROM audit WHERE ${w.sql} ORDER BY id DESC LIMIT @limit`)
        .all({ ...w.params, limit: input.limit + 1 }) as AuditRow[];
      const more = rows.length > input.limit;
      const items = rows.slice(0, input.limit).map(toEntry);
      return { items, nextBefore: more ? items[items.length - 1]!.id : null };
    },

    'audit.facets': (input: ParsedIn<'audit.facets'>): Out<'audit.facets'> => {
      const actors = db.prepare(`SELECT actor_id AS id, actor_name AS name, actor_email AS email FROM audit
          WHERE org_id = ? GROUP BY actor_id ORDER BY actor_name`).all(input.orgId) as Actor[];
      const actions = (db.prepare('SELECT DISTINCT action FROM audit WHERE org_id = ? ORDER BY action')
        .all(input.orgId) as { action: string }[]).map((r) => r.action);
      return { actors, actions };
    },

    /** One CSV row per changed field, so a spreadsheet can filter by field. */
    'audit.exportCsv': (input: ParsedIn<'audit.exportCsv'>): Out<'audit.exportCsv'> => {
      const w = where(input);
      const rows: unknown[][] = [];
      for (const r of db.prepare(`SELECT * FROM audit WHERE ${w.sql} ORDER BY id`).iterate(w.params) as Iterable<AuditRow>) {
        const e = toEntry(r);
        const names = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])];
        const base = [e.at, e.actor.name, e.actor.email, e.action, e.targetType, e.targetLabel];
        if (names.length === 0) rows.push([...base, '', '', '']);
        for (const n of names) {
          const show = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
          rows.push([...base, n, show(e.before?.[n]), show(e.after?.[n])]);
        }
      }
      const csv = csvDocument(['Time (UTC)', 'User', 'User email', 'Action', 'Target type', 'Target', 'Field', 'Before', 'After'], rows);
      const day = deps.clock.now().toISOString().slice(0, 10);
      return { filename: `orgdesk-audit-${day}.csv`, csv, rows: rows.length };
    },
  };
}
