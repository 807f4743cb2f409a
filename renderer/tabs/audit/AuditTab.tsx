import { saveBlob } from '../../api/files.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AuditEntry } from '../../../shared/model/audit.ts';
import { api, ApiError, fieldIssues } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { errorText, issueText } from '../../components/errors.ts';
import { Field } from '../../components/Field.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useOrgIndex } from '../../organizations/use-orgs.ts';
import { toast } from '../../state/toasts.ts';
import { useAuditScope } from '../../state/audit-scope.ts';
import { actionLabel, changeLines, fieldLabel, isImageMeta, withImplicitBefore } from './audit-format.ts';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

const PAGE = 100;

interface Filters {
  actorId: string;
  action: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { actorId: '', action: '', from: '', to: '' };


export function AuditTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [exporting, setExporting] = useState(false);
  const format = useFormat();
  const facets = useApiQuery('audit.facets', { orgId });
  const rangeError = filters.from && filters.to && filters.from > filters.to ? 'audit.range_invalid' : null;
  // A scope another tab opened this one with ("View audit log"); forgotten when the tab closes.
  const scope = useAuditScope();
  const clearScope = scope.clear;
  useEffect(() => clearScope, [clearScope]);

  const filter = useMemo(() => {
    const f: { orgId: string; actorId?: string; action?: string; actionPrefix?: string; from?: string; to?: string } = { orgId };
    if (scope.actionPrefix) f.actionPrefix = scope.actionPrefix;
    if (filters.actorId) f.actorId = filters.actorId;
    if (filters.action) f.action = filters.action;
    if (filters.from) f.from = filters.from;
    if (filters.to) f.to = filters.to;
    return f;
  }, [orgId, filters, scope.actionPrefix]);

  const list = useInfiniteQuery({
    queryKey: ['audit.list', filter] as const,
    queryFn: ({ pageParam }) => api.call('audit.list', { ...filter, limit: PAGE, ...(pageParam !== null ? { before: pageParam } : {}) }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    enabled: !rangeError,
  });
  const entries = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const filtered = Object.values(filters).some(Boolean) || Boolean(scope.actionPrefix);
  const serverFieldErrors = fieldIssues(list.error);

  const exportCsv = async () => {
    setExporting(true);
    try {
      const result = await api.call('audit.exportCsv', filter);
      saveBlob(new Blob([result.csv], { type: 'text/csv;charset=utf-8' }), result.filename);
      toast.success(t('ui.audit.exported', { count: result.rows }));
    } catch (e) {
      toast.error(errorText(t, e));
    } finally {
      setExporting(false);
    }
  };

  const set = (k: keyof Filters, v: string) => setFilters((f) => ({ ...f, [k]: v }));

  return (
    <div className="tab-audit">
      <section className="panel audit-filters" aria-label={t('ui.audit.filters')}>
        {scope.actionPrefix && (
          <span className="pill audit-scope" data-testid="audit-scope">
            {scope.label}
            <button type="button" className="icon-button" aria-label={t('ui.audit.clear')} onClick={scope.clear}>✕</button>
          </span>
        )}
        <Field label={t('ui.audit.user')}>
          {(a) => (
            <select {...a} className="select" value={filters.actorId} onChange={(e) => set('actorId', e.target.value)}>
              <option value="">{t('ui.audit.all')}</option>
              {facets.data?.actors.map((actor) => (
                <option key={actor.id} value={actor.id}>{actor.email ? `${actor.name} (${actor.email})` : actor.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('ui.audit.action')}>
          {(a) => (
            <select {...a} className="select" value={filters.action} onChange={(e) => set('action', e.target.value)}>
              <option value="">{t('ui.audit.all')}</option>
              {facets.data?.actions.map((action) => (
                <option key={action} value={action}>{actionLabel(t, action)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('ui.audit.from')} error={serverFieldErrors.from ? issueText(t, serverFieldErrors.from) : null}>
          {(a) => <input {...a} type="date" className="input" value={filters.from} onChange={(e) => set('from', e.target.value)} />}
        </Field>
        <Field
          label={t('ui.audit.to')}
          error={rangeError ? t(rangeError) : serverFieldErrors.to ? issueText(t, serverFieldErrors.to) : null}
        >
          {(a) => <input {...a} type="date" className="input" value={filters.to} onChange={(e) => set('to', e.target.value)} />}
        </Field>
        <div className="audit-filter-actions">
          <button type="button" className="button" disabled={!filtered} onClick={() => { setFilters(NO_FILTERS); scope.clear(); }}>
            {t('ui.audit.clear')}
          </button>
          <button type="button" className="button button-primary" disabled={exporting || Boolean(rangeError)} onClick={() => void exportCsv()}>
            {t('ui.audit.export')}
          </button>
        </div>
      </section>

      {list.isError && !(list.error instanceof ApiError && list.error.fields) && (
        <p className="alert alert-error" role="alert">{errorText(t, list.error)}</p>
      )}
      {list.isPending && !rangeError ? (
        <p className="muted">{t('ui.audit.loading')}</p>
      ) : entries.length === 0 && !list.isError ? (
        <EmptyNotice title={filtered ? t('ui.audit.empty') : t('ui.audit.emptyAll')} />
      ) : (
        <AuditTable entries={entries} />
      )}
      <div className="audit-footer">
        <span className="muted small">{entries.length > 0 && t('ui.audit.showing', { count: entries.length, n: format.number(entries.length) })}</span>
        {list.hasNextPage && (
          <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {list.isFetchingNextPage ? t('ui.audit.loading') : t('ui.audit.loadMore')}
          </button>
        )}
      </div>
    </div>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 8,
    getItemKey: (i) => entries[i]!.id,
  });
  return (
    <div className="audit-table" role="table" aria-label={t('ui.audit.title')} aria-rowcount={entries.length + 1}>
      <div className="audit-row audit-head" role="row" aria-rowindex={1}>
        <span role="columnheader">{t('ui.audit.when')}</span>
        <span role="columnheader">{t('ui.audit.who')}</span>
        <span role="columnheader">{t('ui.audit.action')}</span>
        <span role="columnheader">{t('ui.audit.target')}</span>
        <span role="columnheader">{t('ui.audit.changes')}</span>
      </div>
      <div className="audit-scroll" ref={scrollRef} role="rowgroup">
        <div className="audit-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => (
            <AuditRow
              key={v.key}
              entry={entries[v.index]!}
              rowIndex={v.index + 2}
              measure={virtualizer.measureElement}
              dataIndex={v.index}
              top={v.start}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

function AuditRow({ entry, rowIndex, measure, dataIndex, top }: {
  entry: AuditEntry; rowIndex: number; measure(el: Element | null): void; dataIndex: number; top: number;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { data: index } = useOrgIndex();
  const shown = withImplicitBefore(entry);
  const lines = changeLines(shown);

  const value = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return t('ui.audit.none');
    if (isImageMeta(v)) {
      const kind = v.mime.replace('image/', '').toUpperCase();
      return `${kind} ${v.width}×${v.height} · ${format.bytes(v.bytes)} · sha256 ${v.sha256.slice(0, 10)}`;
    }
    if (field === 'sector' && typeof v === 'string') return t(`ui.sectors.${v}`, { defaultValue: v });
    if (field === 'type' && typeof v === 'string') return t(`ui.orgTypes.${v}`, { defaultValue: v });
    if (field === 'parentId' && typeof v === 'string') return index?.byId.get(v)?.name ?? v;
    if (typeof v === 'boolean') return v ? '✓' : '✗';
    return typeof v === 'string' ? v : JSON.stringify(v);
  };

  return (
    <div
      className="audit-row"
      role="row"
      aria-rowindex={rowIndex}
      ref={measure}
      data-index={dataIndex}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span role="cell" className="audit-when"><time dateTime={entry.at}>{format.dateTime(entry.at)}</time></span>
      <span role="cell" className="audit-who">
        <span className="audit-who-name">{entry.actor.name}</span>
        {entry.actor.email && <span className="muted small">{entry.actor.email}</span>}
      </span>
      <span role="cell" className="audit-action">{actionLabel(t, entry.action)}</span>
      <span role="cell" className="audit-target">
        <span>{entry.targetLabel}</span>
        <span className="muted small">{entry.targetType}</span>
      </span>
      <span role="cell" className="audit-changes">
        {shown.before === null && shown.after !== null && <span className="pill">{t('ui.audit.created')}</span>}
        {shown.after === null && shown.before !== null && <span className="pill">{t('ui.audit.deleted')}</span>}
        {lines.length > 0 && (
          <ul className="change-list">
            {lines.map((line) => (
              <li key={line.field}>
                <span className="change-field">{fieldLabel(t, line.field)}</span>{' '}
                {shown.before !== null && <span className="change-before">{value(line.field, line.before)}</span>}
                {shown.before !== null && shown.after !== null && <span className="change-arrow"> → </span>}
                {shown.after !== null && <span className="change-after">{value(line.field, line.after)}</span>}
              </li>
            ))}
          </ul>
        )}
      </span>
    </div>
  );
}
