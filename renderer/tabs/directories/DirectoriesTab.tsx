import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { cancelJob, runJob } from '../../api/jobs.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { JobProgress, type ProgressState } from '../users/JobProgress.tsx';
import { PLAN_KINDS, type DirectoryRun, type DirectorySource, type PlanKind } from '../../../shared/model/directory.ts';
import { SourceDialog } from './SourceDialog.tsx';
import { PendingUsers } from './PendingUsers.tsx';

/** The Directories tab: the organization's LDAP / Active Directory sources, their runs, and the users waiting for acceptance. */
export function DirectoriesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const sources = useApiQuery('directory.sources.list', { orgId });
  const [editing, setEditing] = useState<DirectorySource | 'new' | null>(null);
  const [deleting, setDeleting] = useState<DirectorySource | null>(null);
  const [historyOf, setHistoryOf] = useState<DirectorySource | null>(null);
  const [running, setRunning] = useState<{ source: DirectorySource; jobId: string | null; progress: ProgressState | null; cancelling: boolean } | null>(null);
  const [previewRun, setPreviewRun] = useState<DirectoryRun | null>(null);

  const start = async (source: DirectorySource, mode: 'full' | 'delta') => {
    setRunning({ source, jobId: null, progress: null, cancelling: false });
    let runId = '';
    try {
      const job = await runJob(async () => {
        const r = await api.call('directory.run.start', { sourceId: source.id, mode });
        runId = r.runId;
        return r;
      }, {
        onStart: (jobId) => setRunning((s) => (s ? { ...s, jobId } : s)),
        onUpdate: (j) => setRunning((s) => (s ? { ...s, progress: { phase: t(`ui.directory.phase.${j.phase}`, { defaultValue: j.phase }), done: j.done, total: j.total, rate: j.ratePerSecond, unit: 'rows' } } : s)),
      });
      if (job.state === 'done') setPreviewRun(await api.call('directory.run.get', { runId }));
      else if (job.state === 'cancelled') toast.info(t('directory.cancelled'));
      else if (job.error) toast.error(t(job.error.key ?? 'common.internal', { ...job.error.params, defaultValue: job.error.message }));
    } catch (e) {
      toast.error(errorText(t, e));
    } finally {
      setRunning(null);
    }
  };

  if (sources.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (sources.isError) {
    return (
      <div className="alert alert-error" role="alert">
        <span>{errorText(t, sources.error)}</span>
        <button type="button" className="button button-small" onClick={() => void sources.refetch()}>{t('ui.app.retry')}</button>
      </div>
    );
  }

  return (
    <div className="tab-directories">
      <section className="panel" aria-labelledby="directories-title">
        <div className="panel-header">
          <h2 id="directories-title" className="panel-title">{t('ui.directory.title')}</h2>
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>{t('ui.directory.add')}</button>
        </div>
        <p className="muted">{t('ui.directory.intro')}</p>
        {sources.data.length === 0 && <p className="empty" data-testid="directories-empty">{t('ui.directory.empty')}</p>}
        <ul className="directory-list">
          {sources.data.map((s) => (
            <li key={s.id} className="directory-card" data-testid="directory-card">
              <div className="directory-card-main">
                <strong>{s.name}</strong>
                <span className="muted">{t(`ui.directory.kind.${s.kind}`)} · {s.security === 'ldaps' ? 'ldaps' : 'ldap'}://{s.host}:{s.port} · {s.baseDn}</span>
                <span className="muted">
                  {t('ui.directory.linked', { count: s.linkedUsers })}
                  {' · '}
                  {s.lastRunAt ? t('ui.directory.lastRun', { when: format.dateTime(s.lastRunAt) }) : t('ui.directory.neverRun')}
                  {s.scheduleMinutes > 0 && ` · ${t('ui.directory.every', { minutes: s.scheduleMinutes })}`}
                </span>
              </div>
              <div className="directory-card-actions">
                <button type="button" className="button button-primary" disabled={running !== null} onClick={() => void start(s, 'full')}>{t('ui.directory.runFull')}</button>
                <button type="button" className="button" disabled={running !== null || !s.lastRunAt} onClick={() => void start(s, 'delta')}>{t('ui.directory.runDelta')}</button>
                <button type="button" className="button" onClick={() => setHistoryOf(s)}>{t('ui.directory.history')}</button>
                <button type="button" className="button" onClick={() => setEditing(s)}>{t('ui.directory.edit')}</button>
                <button type="button" className="button button-danger" onClick={() => setDeleting(s)}>{t('ui.directory.delete')}</button>
              </div>
              {running?.source.id === s.id && (
                <JobProgress
                  state={running.progress ?? { phase: t('ui.directory.phase.starting'), done: 0, total: 0, rate: 0, unit: 'rows' }}
                  label={t('ui.directory.progressLabel', { name: s.name })}
                  cancelling={running.cancelling}
                  onCancel={running.jobId ? () => { setRunning((r) => (r ? { ...r, cancelling: true } : r)); void cancelJob(running.jobId!); } : undefined}
                />
              )}
            </li>
          ))}
        </ul>
      </section>

      <PendingUsers orgId={orgId} />

      {editing && <SourceDialog orgId={orgId} source={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteSourceDialog source={deleting} onClose={() => setDeleting(null)} />}
      {historyOf && <HistoryDialog source={historyOf} onClose={() => setHistoryOf(null)} onReview={(run) => { setHistoryOf(null); setPreviewRun(run); }} />}
      {previewRun && <RunPreviewDialog run={previewRun} onClose={() => setPreviewRun(null)} />}
    </div>
  );
}

function DeleteSourceDialog({ source, onClose }: { source: DirectorySource; onClose(): void }) {
  const { t } = useTranslation();
  const remove = useApiMutation('directory.sources.delete');
  const [typed, setTyped] = useState('');
  return (
    <ConfirmDialog
      title={t('ui.directory.deleteTitle', { name: source.name })}
      danger
      busy={remove.isPending}
      error={remove.error ? errorText(t, remove.error) : null}
      confirmLabel={t('ui.directory.delete')}
      onCancel={onClose}
      onConfirm={() => remove.mutate({ id: source.id, confirm: typed }, { onSuccess: () => { toast.success(t('ui.directory.deleted', { name: source.name })); onClose(); } })}
      body={
        <>
          <p>{t('ui.directory.deleteBody')}</p>
          <Field label={t('ui.directory.typeName', { name: source.name })}>
            {(p) => <input {...p} className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />}
          </Field>
        </>
      }
    />
  );
}

function RunCountsLine({ run }: { run: DirectoryRun }) {
  const { t } = useTranslation();
  const c = run.counts;
  return (
    <ul className="directory-counts" data-testid="directory-run-counts">
      <li>{t('ui.directory.count.read', { count: c.read })}</li>
      {(['creates', 'updates', 'disables', 'enables', 'removals', 'unchanged', 'errors'] as const).map((k) => (
        <li key={k} data-count={k}><strong>{c[k]}</strong> {t(`ui.directory.count.${k}`)}</li>
      ))}
    </ul>
  );
}

const KIND_OF_COUNT: Record<PlanKind, keyof DirectoryRun['counts']> = {
  create: 'creates', update: 'updates', disable: 'disables', enable: 'enables', remove: 'removals', error: 'errors',
};

/** What a run would change, by kind, before anything is applied; Apply or Discard. */
function RunPreviewDialog({ run, onClose }: { run: DirectoryRun; onClose(): void }) {
  const { t } = useTranslation();
  const firstKind = PLAN_KINDS.find((k) => run.counts[KIND_OF_COUNT[k]] > 0) ?? 'create';
  const [kind, setKind] = useState<PlanKind>(firstKind);
  const [confirmRemovals, setConfirmRemovals] = useState(false);
  const [applying, setApplying] = useState<ProgressState | null>(null);
  const items = useApiQuery('directory.run.items', { runId: run.id, kind, offset: 0, limit: 200 });
  const roles = useApiQuery('roles.list', {});
  const shown = (field: string, value: string) => (field === 'role' ? roles.data?.items.find((r) => r.id === value)?.name ?? value : value);
  const discard = useApiMutation('directory.run.discard');
  const nothing = run.counts.creates + run.counts.updates + run.counts.disables + run.counts.enables + run.counts.removals === 0;

  const apply = async () => {
    setApplying({ phase: t('ui.directory.phase.applying'), done: 0, total: 0, rate: 0, unit: 'rows' });
    try {
      const job = await runJob(() => api.call('directory.run.apply', { runId: run.id, confirmRemovals }), {
        onUpdate: (j) => setApplying({ phase: t(`ui.directory.phase.${j.phase}`, { defaultValue: j.phase }), done: j.done, total: j.total, rate: j.ratePerSecond, unit: 'rows' }),
      });
      if (job.state === 'done') {
        toast.success(t('ui.directory.applied', { creates: run.counts.creates, updates: run.counts.updates + run.counts.disables + run.counts.enables, removals: run.counts.removals }));
        onClose();
      } else if (job.error) toast.error(t(job.error.key ?? 'common.internal', { ...job.error.params, defaultValue: job.error.message }));
    } catch (e) {
      toast.error(errorText(t, e));
    } finally {
      setApplying(null);
    }
  };

  return (
    <Dialog
      title={t('ui.directory.previewTitle')}
      onClose={onClose}
      className="dialog-wide"
      footer={
        <>
          <button type="button" className="button" disabled={applying !== null || discard.isPending}
            onClick={() => discard.mutate({ runId: run.id }, { onSuccess: onClose, onError: (e) => toast.error(errorText(t, e)) })}>
            {t('ui.directory.discard')}
          </button>
          <button type="button" className="button button-primary" disabled={applying !== null || nothing || (run.removalsNeedConfirmation && !confirmRemovals)}
            onClick={() => void apply()}>
            {t('ui.directory.apply')}
          </button>
        </>
      }
    >
      <RunCountsLine run={run} />
      {nothing && <p className="muted">{t('ui.directory.nothingToApply')}</p>}
      {run.removalsSkipped && <p className="alert alert-warning">{t('ui.directory.removalsSkipped')}</p>}
      {run.removalsNeedConfirmation && (
        <div className="alert alert-warning" role="alert">
          <label className="checkbox">
            <input type="checkbox" checked={confirmRemovals} onChange={(e) => setConfirmRemovals(e.target.checked)} />
            {' '}{t('ui.directory.confirmRemovals', { count: run.counts.removals })}
          </label>
        </div>
      )}
      {applying && <JobProgress state={applying} label={t('ui.directory.phase.applying')} />}
      <div className="directory-kinds" role="tablist" aria-label={t('ui.directory.previewTitle')}>
        {PLAN_KINDS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} className={`button button-small ${kind === k ? 'is-selected' : ''}`} onClick={() => setKind(k)}>
            {t(`ui.directory.kindTab.${k}`)} ({run.counts[KIND_OF_COUNT[k]]})
          </button>
        ))}
      </div>
      {items.data && items.data.total === 0 && <p className="muted">{t('ui.directory.noneOfKind')}</p>}
      {items.data && items.data.total > 0 && (
        <table className="preview-table" data-testid="directory-plan-items">
          <thead><tr><th>{t('ui.directory.col.name')}</th><th>{t('ui.directory.col.email')}</th><th>{t('ui.directory.col.changes')}</th></tr></thead>
          <tbody>
            {items.data.items.map((i) => (
              <tr key={`${i.dn}-${i.email}`}>
                <td>{i.name}<div className="muted mono directory-small">{i.dn}</div></td>
                <td>{i.email}</td>
                <td>
                  {i.problem && <span className="field-error">{t(`ui.directory.mapProblem.${i.problem}`, { defaultValue: i.problem })}</span>}
                  {Object.entries(i.changes).map(([f, [a, b]]) => (
                    <div key={f}><span className="muted">{t(`ui.directory.map.${f}`, { defaultValue: f })}:</span> <s>{shown(f, a)}</s> → {shown(f, b)}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.data && items.data.total > items.data.items.length && <p className="muted">{t('ui.directory.more', { count: items.data.total - items.data.items.length })}</p>}
    </Dialog>
  );
}

function HistoryDialog({ source, onClose, onReview }: { source: DirectorySource; onClose(): void; onReview(run: DirectoryRun): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const runs = useApiQuery('directory.runs.list', { sourceId: source.id, limit: 50 });
  return (
    <Dialog title={t('ui.directory.historyTitle', { name: source.name })} onClose={onClose} className="dialog-wide"
      footer={<button type="button" className="button" onClick={onClose}>{t('ui.dialog.close')}</button>}>
      {runs.isPending && <p className="muted">{t('ui.app.loading')}</p>}
      {runs.data?.length === 0 && <p className="empty">{t('ui.directory.noRuns')}</p>}
      {runs.data && runs.data.length > 0 && (
        <table className="preview-table" data-testid="directory-history">
          <thead>
            <tr><th>{t('ui.directory.col.started')}</th><th>{t('ui.directory.col.mode')}</th><th>{t('ui.directory.col.state')}</th>
              <th>{t('ui.directory.col.counts')}</th><th>{t('ui.directory.col.rate')}</th></tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <tr key={r.id}>
                <td>{format.dateTime(r.startedAt)}</td>
                <td>{t(`ui.directory.mode.${r.mode}`)} · {t(`ui.directory.trigger.${r.trigger}`)}</td>
                <td>
                  {t(`ui.directory.state.${r.state}`)}
                  {r.error && <div className="field-error directory-small">{r.error}</div>}
                  {(r.state === 'previewed' || r.state === 'awaiting_confirmation') && (
                    <button type="button" className="button button-small" onClick={() => onReview(r)}>{t('ui.directory.review')}</button>
                  )}
                </td>
                <td className="directory-small">
                  {t('ui.directory.countsShort', { ...r.counts })}
                </td>
                <td>{r.entriesPerSecond > 0 ? t('ui.directory.rate', { rate: format.number(r.entriesPerSecond) }) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
