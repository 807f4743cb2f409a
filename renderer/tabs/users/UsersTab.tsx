import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { USER_SOURCES, USER_STATUSES, type UserRow, type UserSource, type UserStatus } from '../../../shared/model/user.ts';
import type { ExportResult } from '../../../shared/model/user-import.ts';
import { api, ApiError } from '../../api/client.ts';
import { downloadFile } from '../../api/files.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { cancelJob, createRateMeter, runJob } from '../../api/jobs.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { MenuButton } from '../../components/MenuButton.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../state/session.ts';
import { toast } from '../../state/toasts.ts';
import { ImportDialog } from './ImportDialog.tsx';
import { JobProgress, type ProgressState } from './JobProgress.tsx';
import { ALL, NONE, selectedCount, setSelected, toggle, type Selection } from './selection.ts';
import { collectIds, fetchPage, PAGE_SIZE, useUserPages, type UserFilter } from './use-user-pages.ts';
import { UserDialog } from './UserDialog.tsx';
import { UsersTable, type SortKey } from './UsersTable.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

/** Ids per bulk call: each call is one transaction in the core; smaller ones keep it responsive. */

type BulkAction = 'deactivate' | 'restore' | 'archive' | 'delete' | 'loginOn' | 'loginOff' | 'resend';

interface ExportState {
  kind: 'xlsx' | 'csv' | 'template';
  progress: ProgressState;
  jobId: string | null;
  cancelling: boolean;
}

function useDebounced<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setOut(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return out;
}

export function UsersTab({ orgId, orgName }: { orgId: string; orgName: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const language = useSession((s) => s.language);
  const roles = useApiQuery('roles.list', {}, { staleTime: 5 * 60_000 });

  // --- filters, sort ------------------------------------------------------------------------------
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 250);
  const [status, setStatus] = useState<UserStatus | ''>('');
  const [roleId, setRoleId] = useState('');
  const [source, setSource] = useState<UserSource | ''>('');
  const [includeSubOrgs, setIncludeSubOrgs] = useState(false);
  const [sort, setSort] = useState<SortKey>('name');
  const [dir, setDir] = useState<'asc' | 'desc'>('asc');
  const filtered = Boolean(query || status || roleId || source);

  const filter = useMemo<UserFilter>(() => {
    const f: UserFilter = { orgId, includeSubOrgs, query, sort, dir };
    if (status) f.status = status;
    if (roleId) f.roleId = roleId;
    if (source) f.source = source;
    return f;
  }, [orgId, includeSubOrgs, query, status, roleId, source, sort, dir]);

  const [visible, setVisible] = useState({ start: 0, end: 30 });
  const onVisibleRange = useCallback((start: number, end: number) => setVisible({ start, end }), []);
  const pages = useUserPages(filter, visible);
  const total = pages.total ?? 0;

  // --- selection (reset when the set of matching users changes, kept across sorting) ----------------
  const [selection, setSelection] = useState<Selection>(NONE);
  const [anchor, setAnchor] = useState<number | null>(null);
  const matchKey = JSON.stringify([orgId, includeSubOrgs, query, status, roleId, source]);
  const [selectionFor, setSelectionFor] = useState(matchKey);
  if (selectionFor !== matchKey) {
    setSelectionFor(matchKey);
    setSelection(NONE);
    setAnchor(null);
  }
  const count = selectedCount(selection, total);

  const onToggle = async (index: number, user: UserRow, range: boolean) => {
    if (!range || anchor === null || anchor === index) {
      setSelection((s) => toggle(s, user.id));
      setAnchor(index);
      return;
    }
    // Shift: tick every row between the anchor and this one (loading pages not seen yet).
    const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
    const ids: string[] = [];
    const snapshot = filter;
    for (let p = Math.floor(from / PAGE_SIZE); p <= Math.floor(to / PAGE_SIZE); p++) {
      const page = await fetchPage(client, snapshot, p);
      page.items.forEach((u, i) => {
        const at = p * PAGE_SIZE + i;
        if (at >= from && at <= to) ids.push(u.id);
      });
    }
    setSelection((s) => setSelected(s, ids, true));
    setAnchor(index);
  };

  const toggleAll = () => {
    setSelection(count > 0 ? NONE : ALL);
    setAnchor(null);
  };

  const onSort = (key: SortKey) => {
    if (key === sort) setDir((d) => (d === 'asc' ? 'desc' : 'asc'));
    else {
      setSort(key);
      setDir(key === 'createdAt' || key === 'lastLogin' ? 'desc' : 'asc');
    }
  };

  const clearFilters = () => {
    setSearch('');
    setStatus('');
    setRoleId('');
    setSource('');
  };

  // --- dialogs ------------------------------------------------------------------------------------
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [importing, setImporting] = useState<{ file: File | null } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  // --- bulk actions -------------------------------------------------------------------------------
  const [bulk, setBulk] = useState<{ action: BulkAction; done: number; total: number } | null>(null);

  const runBulk = async (action: BulkAction) => {
    if (bulk || count === 0) return;
    setBulk({ action, done: 0, total: count });
    try {
      const ids = selection.all
        ? await collectIds(filter, selection.except)
        : [...selection.ids];
      // One call, one transaction in the core: all of them change, or none.
      let changed: number;
      if (action === 'resend') {
        const { queued, skipped } = await api.call('users.resendReset', { ids });
        setBulk({ action, done: ids.length, total: ids.length });
        toast.success(skipped > 0
          ? t('ui.users.bulk.resendSkipped', { count: queued, n: format.number(queued), skipped: format.number(skipped) })
          : t('ui.users.bulk.done.resend', { count: queued, n: format.number(queued) }));
        return;
      }
      if (action === 'delete') changed = (await api.call('users.delete', { ids })).deleted;
      else if (action === 'loginOn' || action === 'loginOff') changed = (await api.call('users.setEmailLogin', { ids, enabled: action === 'loginOn' })).changed;
      else {
        const to = action === 'deactivate' ? 'deactivated' : action === 'archive' ? 'archived' : 'active';
        changed = (await api.call('users.setStatus', { ids, status: to })).changed;
      }
      setBulk({ action, done: ids.length, total: ids.length });
      toast.success(t(`ui.users.bulk.done.${action}`, { count: changed, n: format.number(changed) }));
      if (action === 'delete') {
        setSelection(NONE);
        setAnchor(null);
      }
    } catch (e) {
      toast.error(errorText(t, e));
    } finally {
      setBulk(null);
      void client.invalidateQueries({ queryKey: ['users.list'] });
    }
  };

  // "Resend password reset email" needs email login: known for the ticked rows already loaded;
  // for "all matching" the core sends to those who have it and reports the others as skipped.
  const resendDisabled = useMemo(() => {
    if (count === 0 || selection.all) return false;
    const known = new Map<string, boolean>();
    for (const [, data] of client.getQueriesData<{ items: UserRow[] }>({ queryKey: ['users.list'] })) {
      for (const u of data?.items ?? []) known.set(u.id, u.emailLoginEnabled);
    }
    return [...selection.ids].every((id) => known.get(id) === false);
    // Recomputed after each fetch of the list (a user's email login may have been switched).
  }, [client, selection, count, pages.isFetching]); // eslint-disable-line react-hooks/exhaustive-deps

  // --- export and template ----------------------------------------------------------------------------
  const [exporting, setExporting] = useState<ExportState | null>(null);

  const download = async (kind: ExportState['kind'], fileId: string) => {
    setExporting({ kind, jobId: null, cancelling: false, progress: { phase: 'downloading', done: 0, total: 0, rate: 0, unit: 'bytes' } });
    return downloadFile(fileId, {
      onProgress: (read, all) => setExporting((s) => (s ? { ...s, progress: { ...s.progress, done: read, total: all } } : s)),
    });
  };

  const startExport = async (fmt: 'xlsx' | 'csv') => {
    if (exporting) return;
    const meter = createRateMeter();
    setExporting({ kind: fmt, jobId: null, cancelling: false, progress: { phase: 'starting', done: 0, total: 0, rate: 0, unit: 'rows' } });
    try {
      const job = await runJob(() => api.call('users.exportStart', { orgId, includeSubOrgs, format: fmt, language }), {
        onStart: (jobId) => setExporting((s) => (s ? { ...s, jobId } : s)),
        onUpdate: (j) => {
          if (j.state !== 'running') return;
          const rate = meter(j) || j.ratePerSecond;
          setExporting((s) => (s ? { ...s, progress: { phase: j.phase === 'starting' ? 'starting' : 'writing', done: j.done, total: j.total, rate, unit: 'rows' } } : s));
        },
      });
      if (job.state === 'cancelled') toast.info(t('ui.users.export.cancelled'));
      else if (job.state === 'failed') toast.error(job.error ? errorText(t, new ApiError(job.error)) : t('common.internal'));
      else {
        const result = job.result as ExportResult;
        await download(fmt, result.fileId);
        toast.success(t('ui.users.export.done', { count: result.rows, n: format.number(result.rows), file: result.filename }));
      }
    } catch (e) {
      toast.error(errorText(t, e));
    } finally {
      setExporting(null);
    }
  };

  const downloadTemplate = async () => {
    if (exporting) return;
    setExporting({ kind: 'template', jobId: null, cancelling: false, progress: { phase: 'starting', done: 0, total: 0, rate: 0, unit: 'bytes' } });
    try {
      const result = await api.call('users.template', { format: 'xlsx', language });
      await download('template', result.fileId);
      toast.success(t('ui.users.export.templateDone', { file: result.filename }));
    } catch (e) {
      toast.error(errorText(t, e));
    } finally {
      setExporting(null);
    }
  };

  const cancelExport = () => {
    if (!exporting?.jobId || exporting.cancelling) return;
    setExporting({ ...exporting, cancelling: true });
    void cancelJob(exporting.jobId).catch(() => undefined);
  };

  // --- drag and drop anywhere on the tab ------------------------------------------------------------
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');
  const dropEnabled = !importing && !creating && !editing && !confirmDelete;

  const onDragEnter = (e: DragEvent) => {
    if (!dropEnabled || !hasFiles(e)) return;
    e.preventDefault();
    dragDepth.current += 1;
    setDragging(true);
  };
  const onDragOver = (e: DragEvent) => {
    if (!dropEnabled || !hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = (e: DragEvent) => {
    if (!dropEnabled) return;
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0 || !e.currentTarget.contains(e.relatedTarget as Node | null)) {
      dragDepth.current = 0;
      setDragging(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    if (!dropEnabled) return;
    e.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) setImporting({ file });
  };

  // --- render ---------------------------------------------------------------------------------------------
  const statusOptions = USER_STATUSES;
  const bulkBusy = Boolean(bulk);
  const onOpen = (user: UserRow) => setEditing(user);

  return (
    <div
      className={`tab-users ${dragging ? 'is-dragging' : ''}`}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <div className="users-toolbar">
        <div className="users-title-row">
          <h2 className="users-title">
            {t('ui.users.title')}{' '}
            {pages.total !== undefined && <span className="count-pill">{format.number(total)}</span>}
          </h2>
          <div className="toolbar-actions">
            <button type="button" className="button" onClick={() => setImporting({ file: null })}>
              <span aria-hidden="true">⤒</span> {t('ui.users.import.open')}
            </button>
            <div className="button-group" role="group" aria-label={t('ui.users.export.group')}>
              <button type="button" className="button" disabled={Boolean(exporting)} onClick={() => void startExport('xlsx')}>{t('ui.users.export.xlsx')}</button>
              <button type="button" className="button" disabled={Boolean(exporting)} onClick={() => void startExport('csv')}>{t('ui.users.export.csv')}</button>
              <button type="button" className="button" disabled={Boolean(exporting)} onClick={() => void downloadTemplate()}>{t('ui.users.export.template')}</button>
            </div>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>+ {t('ui.users.new')}</button>
          </div>
        </div>
        <div className="users-filters" role="search" aria-label={t('ui.users.filters')}>
          <input
            type="search"
            className="input users-search"
            placeholder={t('ui.users.searchPlaceholder')}
            aria-label={t('ui.users.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <select className="select users-filter" aria-label={t('ui.users.filterStatus')} value={status} onChange={(e) => setStatus(e.target.value as UserStatus | '')}>
            <option value="">{t('ui.users.anyStatus')}</option>
            {statusOptions.map((s) => <option key={s} value={s}>{t(`ui.users.status.${s}`)}</option>)}
          </select>
          <select className="select users-filter" aria-label={t('ui.users.filterRole')} value={roleId} onChange={(e) => setRoleId(e.target.value)}>
            <option value="">{t('ui.users.anyRole')}</option>
            {roles.data?.items.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </select>
          <select className="select users-filter" aria-label={t('ui.users.filterSource')} value={source} onChange={(e) => setSource(e.target.value as UserSource | '')}>
            <option value="">{t('ui.users.anySource')}</option>
            {USER_SOURCES.map((s) => <option key={s} value={s}>{t(`ui.users.source.${s}`)}</option>)}
          </select>
          <label className="switch">
            <input type="checkbox" role="switch" checked={includeSubOrgs} onChange={(e) => setIncludeSubOrgs(e.target.checked)} />
            <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
            <span>{t('ui.users.includeSubOrgs')}</span>
          </label>
          {filtered && (
            <button type="button" className="button button-small button-quiet" onClick={clearFilters}>{t('ui.users.clearFilters')}</button>
          )}
          {pages.isFetching && <span className="spinner" role="status" aria-label={t('ui.app.loading')} />}
        </div>
      </div>

      {exporting && (
        <div className="panel export-panel">
          <JobProgress
            state={exporting.progress}
            label={t(`ui.users.export.label.${exporting.kind}`)}
            onCancel={exporting.jobId && exporting.progress.phase !== 'downloading' ? cancelExport : undefined}
            cancelling={exporting.cancelling}
          />
        </div>
      )}

      {count > 0 && (
        <div className="bulk-bar" role="region" aria-label={t('ui.users.bulk.label')}>
          <span className="bulk-count" role="status">
            {selection.all && selection.except.size === 0
              ? t('ui.users.bulk.allSelected', { count: total, n: format.number(total) })
              : t('ui.users.bulk.selected', { count, n: format.number(count) })}
          </span>
          {!(selection.all && selection.except.size === 0) && count < total && (
            <button type="button" className="link-button" onClick={() => setSelection(ALL)}>
              {t('ui.users.bulk.selectAll', { count: total, n: format.number(total) })}
            </button>
          )}
          <button type="button" className="link-button" onClick={() => { setSelection(NONE); setAnchor(null); }}>
            {t('ui.users.bulk.clear')}
          </button>
          <div className="bulk-actions">
            {bulk ? (
              <span className="muted small" role="status">
                {t(`ui.users.bulk.working.${bulk.action}`, { done: format.number(bulk.done), total: format.number(bulk.total) })}
              </span>
            ) : null}
            <button type="button" className="button button-small" disabled={bulkBusy} onClick={() => void runBulk('deactivate')}>{t('ui.users.bulk.deactivate')}</button>
            <button type="button" className="button button-small" disabled={bulkBusy} onClick={() => void runBulk('restore')}>{t('ui.users.bulk.restore')}</button>
            <button type="button" className="button button-small" disabled={bulkBusy} onClick={() => void runBulk('archive')}>{t('ui.users.bulk.archive')}</button>
            <MenuButton
              className="button button-small"
              label={t('ui.users.bulk.emailLogin')}
              disabled={bulkBusy}
              align="end"
              items={[
                { id: 'on', label: t('ui.users.bulk.loginOn'), onSelect: () => void runBulk('loginOn') },
                { id: 'off', label: t('ui.users.bulk.loginOff'), onSelect: () => void runBulk('loginOff') },
                {
                  id: 'resend',
                  label: t('ui.users.bulk.resend'),
                  onSelect: () => void runBulk('resend'),
                  disabled: resendDisabled,
                  disabledReason: t('ui.users.bulk.resendNeedsLogin', { count }),
                },
              ]}
            />
            <button type="button" className="button button-small button-danger" disabled={bulkBusy} onClick={() => setConfirmDelete(true)}>{t('ui.users.bulk.delete')}</button>
          </div>
        </div>
      )}

      {pages.error && !pages.isSwitching ? (
        <LoadError query={pages} />
      ) : pages.isPending ? (
        <div className="users-loading muted" role="status">{t('ui.users.loading')}</div>
      ) : total === 0 && !pages.isSwitching ? (
        filtered ? (
          <EmptyNotice title={t('ui.users.emptyFiltered')}>
            <button type="button" className="button" onClick={clearFilters}>{t('ui.users.clearFilters')}</button>
          </EmptyNotice>
        ) : (
          <EmptyNotice title={t('ui.users.empty')} help={t('ui.users.emptyHelp')}>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>+ {t('ui.users.new')}</button>
            <button type="button" className="button" onClick={() => setImporting({ file: null })}>{t('ui.users.import.open')}</button>
            <button type="button" className="button" onClick={() => void downloadTemplate()}>{t('ui.users.export.template')}</button>
          </EmptyNotice>
        )
      ) : (
        <UsersTable
          total={total}
          rowAt={pages.rowAt}
          sort={sort}
          dir={dir}
          onSort={onSort}
          selection={selection}
          selectedCount={count}
          onToggle={(i, u, range) => void onToggle(i, u, range)}
          onToggleAll={toggleAll}
          onOpen={onOpen}
          onVisibleRange={onVisibleRange}
          label={t('ui.users.tableLabel', { org: orgName })}
          resetKey={JSON.stringify(filter)}
        />
      )}

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-card">
            <span className="drop-overlay-icon">⤒</span>
            <strong>{t('ui.users.dropTitle', { org: orgName })}</strong>
            <span className="muted">{t('ui.users.dropHelp')}</span>
          </div>
        </div>
      )}

      {creating && <UserDialog mode="create" orgId={orgId} onClose={() => setCreating(false)} />}
      {editing && <UserDialog mode="edit" user={editing} onClose={() => setEditing(null)} />}
      {importing && (
        <ImportDialog
          orgId={orgId}
          orgName={orgName}
          initialFile={importing.file}
          onClose={() => setImporting(null)}
          onDownloadTemplate={() => void downloadTemplate()}
        />
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={t('ui.users.bulk.deleteTitle', { count, n: format.number(count) })}
          body={t('ui.users.bulk.deleteBody', { count, n: format.number(count) })}
          confirmLabel={t('ui.users.bulk.deleteConfirm', { count, n: format.number(count) })}
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            void runBulk('delete');
          }}
        />
      )}
    </div>
  );
}

