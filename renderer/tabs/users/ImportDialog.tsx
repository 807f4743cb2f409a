import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../shared/model/job.ts';
import type { ImportOptions, ImportPreviewRow, ImportResult } from '../../../shared/model/user-import.ts';
import { api, ApiError } from '../../api/client.ts';
import { downloadFile, uploadFile } from '../../api/files.ts';
import { cancelJob, createRateMeter, runJob } from '../../api/jobs.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { DropZone } from '../../components/DropZone.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../state/session.ts';
import { toast } from '../../state/toasts.ts';
import { JobProgress, type ProgressState } from './JobProgress.tsx';

export const SHEET_ACCEPT = '.xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv,text/plain';

type Stage =
  | { kind: 'idle' }
  | { kind: 'uploading'; progress: ProgressState }
  | { kind: 'running'; dryRun: boolean; progress: ProgressState; jobId: string | null; cancelling: boolean }
  | { kind: 'result'; result: ImportResult; options: Record<OptionName, boolean> }
  | { kind: 'cancelled' }
  | { kind: 'refused'; message: string };

const OPTION_NAMES = ['update', 'deactivate', 'restore', 'allOrNothing'] as const;
type OptionName = (typeof OPTION_NAMES)[number];

interface ImportDialogProps {
  orgId: string;
  orgName: string;
  initialFile: File | null;
  onClose(): void;
  onDownloadTemplate(): void;
}

/**
 * Import users from a spreadsheet: the file is uploaded in chunks, then run as a dry run (preview)
 * or for real with the Flexopus options. The core discards an uploaded file once an import has
 * read it, so each further run uploads the same File again from memory.
 */
export function ImportDialog({ orgId, orgName, initialFile, onClose, onDownloadTemplate }: ImportDialogProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const language = useSession((s) => s.language);
  const optionsId = useId();
  const [file, setFile] = useState<File | null>(initialFile);
  const [options, setOptions] = useState<Record<OptionName, boolean>>({ update: false, deactivate: false, restore: false, allOrNothing: false });
  const [stage, setStage] = useState<Stage>(() => (initialFile ? uploadingStage(initialFile) : { kind: 'idle' }));
  const uploaded = useRef<{ file: File; fileId: string } | null>(null);
  const reportIds = useRef(new Set<string>());
  const busy = stage.kind === 'uploading' || stage.kind === 'running';

  // Upload as soon as a file is chosen, so its progress shows and it is ready to run.
  const upload = async (f: File): Promise<string | null> => {
    try {
      const fileId = await uploadFile(f, (sent, total, rate) => {
        setStage({ kind: 'uploading', progress: { phase: 'uploading', done: sent, total, rate, unit: 'bytes' } });
      });
      uploaded.current = { file: f, fileId };
      return fileId;
    } catch (e) {
      setStage({ kind: 'refused', message: refusalText(e) });
      return null;
    }
  };

  const refusalText = (e: unknown) => {
    if (e instanceof ApiError && e.key === 'files.too_large') return t('ui.users.import.tooLarge');
    return errorText(t, e);
  };

  /** Run the import (or its dry run) on `target`, uploading it again if an earlier run consumed it. */
  const run = async (dryRun: boolean, target: File | null = file, justUploaded = false) => {
    if (!target || (busy && !justUploaded)) return;
    let fileId = uploaded.current?.file === target ? uploaded.current.fileId : null;
    if (!fileId) {
      setStage(uploadingStage(target));
      fileId = await upload(target);
    }
    if (!fileId) return;
    uploaded.current = null; // the import consumes it
    const used = { ...options };
    const input: ImportOptions = { ...used, dryRun };
    const meter = createRateMeter();
    const toProgress = (job: Job): ProgressState => {
      const rate = meter(job) || (job.phase === 'applying' ? job.ratePerSecond : 0);
      if (job.phase === 'reading' && job.total > 0 && job.done >= job.total) return { phase: 'checking', done: 0, total: 0, rate: 0, unit: 'rows' };
      return { phase: job.phase, done: job.done, total: job.total, rate, unit: job.phase === 'reading' ? 'bytes' : 'rows' };
    };
    setStage({ kind: 'running', dryRun, jobId: null, cancelling: false, progress: { phase: 'starting', done: 0, total: 0, rate: 0, unit: 'rows' } });
    try {
      const job = await runJob(
        () => api.call('users.importStart', { orgId, fileId, filename: target.name, options: input, language }),
        {
          onStart: (jobId) => setStage((s) => (s.kind === 'running' ? { ...s, jobId } : s)),
          onUpdate: (j) => {
            if (j.state === 'running') setStage((s) => (s.kind === 'running' ? { ...s, progress: toProgress(j) } : s));
          },
        },
      );
      if (job.state === 'cancelled') {
        setStage({ kind: 'cancelled' });
      } else if (job.state === 'failed') {
        setStage({ kind: 'refused', message: job.error ? errorText(t, new ApiError(job.error)) : t('common.internal') });
      } else {
        const result = job.result as ImportResult;
        if (result.errorReportFileId) reportIds.current.add(result.errorReportFileId);
        setStage({ kind: 'result', result, options: used });
        if (!dryRun && result.applied) toast.success(t('ui.users.import.doneToast', { count: result.created.length + result.updated.length }));
      }
    } catch (e) {
      setStage({ kind: 'refused', message: refusalText(e) });
    }
  };

  const choose = (f: File) => {
    if (busy) return;
    setFile(f);
    const previous = uploaded.current;
    uploaded.current = null;
    if (previous) void api.call('files.discard', { fileId: previous.fileId }).catch(() => undefined);
    setStage(uploadingStage(f));
    void upload(f).then((id) => {
      if (id) void run(true, f, true); // preview at once: what this file would do
    });
  };

  useEffect(() => {
    // The stage already says "uploading" (initial state); the upload's own callbacks update it.
    // Started from a timer so StrictMode's mount-unmount-mount uploads once.
    const timer = initialFile
      ? setTimeout(() => {
        void upload(initialFile).then((id) => {
          if (id) void run(true, initialFile, true);
        });
      }, 0)
      : undefined;
    const reports = reportIds.current;
    return () => {
      clearTimeout(timer);
      if (uploaded.current) void api.call('files.discard', { fileId: uploaded.current.fileId }).catch(() => undefined);
      for (const id of reports) void api.call('files.discard', { fileId: id }).catch(() => undefined);
    };
    // Mount only: the dialog opens with the dropped file.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const cancel = () => {
    if (stage.kind !== 'running' || !stage.jobId || stage.cancelling) return;
    setStage({ ...stage, cancelling: true });
    void cancelJob(stage.jobId).catch(() => undefined);
  };

  const downloadReport = async (fileId: string) => {
    try {
      await downloadFile(fileId, { keep: true });
    } catch (e) {
      toast.error(errorText(t, e));
    }
  };

  return (
    <Dialog
      title={t('ui.users.import.title', { org: orgName })}
      onClose={() => {
        if (!busy) onClose();
      }}
      className="dialog-import"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>{t('ui.dialog.close')}</button>
          <button type="button" className="button" disabled={!file || busy} onClick={() => void run(true)}>
            {t('ui.users.import.dryRun')}
          </button>
          <button type="button" className="button button-primary" disabled={!file || busy} onClick={() => void run(false)}>
            {t('ui.users.import.run')}
          </button>
        </>
      }
    >
      <div className="import-dialog">
        <DropZone label={t('ui.users.import.fileLabel')} accept={SHEET_ACCEPT} onFile={choose} dropHint={t('ui.users.import.dropHint')}>
          {file ? (
            <div className="import-file">
              <span className="file-icon" aria-hidden="true">{fileKind(file.name)}</span>
              <span className="import-file-name">{file.name}</span>
              <span className="muted small">{format.bytes(file.size)}</span>
            </div>
          ) : (
            <p className="import-hint">
              {t('ui.users.import.hint')}{' '}
              <button type="button" className="link-button" onClick={onDownloadTemplate}>{t('ui.users.import.templateLink')}</button>
            </p>
          )}
        </DropZone>

        <fieldset className="import-options" disabled={busy} aria-describedby={`${optionsId}-help`}>
          <legend className="field-label">{t('ui.users.import.options')}</legend>
          <p id={`${optionsId}-help`} className="visually-hidden">{t('ui.users.import.optionsHelp')}</p>
          {OPTION_NAMES.map((name) => (
            <label key={name} className="option-row">
              <input
                type="checkbox"
                className="checkbox"
                checked={options[name]}
                onChange={(e) => setOptions((o) => ({ ...o, [name]: e.target.checked }))}
              />
              <span className="option-text">
                <span className="option-title">{t(`ui.users.import.option.${name}`)}</span>
                <span className="option-help">{t(`ui.users.import.optionHelp.${name}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>

        <div className="import-status" aria-live="polite">
          {stage.kind === 'uploading' && <JobProgress state={stage.progress} label={t('ui.users.import.uploadLabel')} />}
          {stage.kind === 'running' && (
            <JobProgress
              state={stage.progress}
              label={stage.dryRun ? t('ui.users.import.dryRunLabel') : t('ui.users.import.runLabel')}
              onCancel={stage.jobId ? cancel : undefined}
              cancelling={stage.cancelling}
            />
          )}
          {stage.kind === 'cancelled' && <p className="alert alert-warning" role="status">{t('ui.users.import.cancelled')}</p>}
          {stage.kind === 'refused' && (
            <div className="alert alert-error import-refused" role="alert">
              <div>
                <p className="import-refused-text">{stage.message}</p>
                <p className="muted small">{t('ui.users.import.nothingChanged')}</p>
              </div>
            </div>
          )}
          {stage.kind === 'result' && OPTION_NAMES.some((n) => stage.options[n] !== options[n]) && (
            <p className="import-stale muted small" role="note">{t('ui.users.import.optionsChanged')}</p>
          )}
          {stage.kind === 'result' && <ImportSummary result={stage.result} options={stage.options} onDownloadReport={(id) => void downloadReport(id)} />}
        </div>
      </div>
    </Dialog>
  );
}

const uploadingStage = (f: File): Stage => ({ kind: 'uploading', progress: { phase: 'uploading', done: 0, total: f.size, rate: 0, unit: 'bytes' } });

function fileKind(name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext === 'xlsx' ? 'XLSX' : ext === 'csv' ? 'CSV' : ext === 'txt' ? 'TXT' : 'FILE';
}

function ImportSummary({ result, options, onDownloadReport }: { result: ImportResult; options: Record<OptionName, boolean>; onDownloadReport(fileId: string): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const errors = result.errors.length;
  const blocked = !result.dryRun && !result.applied && errors > 0 && options.allOrNothing;
  const tense = result.dryRun || blocked ? 'will' : result.applied ? 'did' : 'will';
  const counts: { id: string; n: number; tone: string }[] = [
    { id: 'create', n: result.created.length, tone: 'create' },
    { id: 'update', n: result.updated.length - result.restored.length, tone: 'update' },
    { id: 'restore', n: result.restored.length, tone: 'update' },
    { id: 'skip', n: result.skipped.length, tone: 'skip' },
    { id: 'deactivate', n: result.deleted, tone: 'deactivate' },
    { id: 'errors', n: errors, tone: 'error' },
  ];
  const changes = result.created.length + result.updated.length + result.deleted;
  // The core's notices already name most ignored columns; list the others so none goes unmentioned.
  const unlisted = result.unknownColumns.filter((c) => !result.notices.some((n) => n.includes(`"${c}"`)));
  const headline = result.dryRun ? t('ui.users.import.summary.dryRun', { count: result.rows, n: format.number(result.rows), file: result.filename })
    : blocked ? t('ui.users.import.summary.blocked', { count: errors, n: format.number(errors) })
      : result.applied ? t('ui.users.import.summary.applied', { count: result.rows, n: format.number(result.rows), file: result.filename })
        : changes === 0 ? t('ui.users.import.summary.nothing') : t('ui.users.import.summary.notApplied');

  return (
    <section className="import-summary" aria-label={t('ui.users.import.summary.label')}>
      <p className={`import-headline ${blocked ? 'is-blocked' : result.applied ? 'is-applied' : ''}`} role="status">{headline}</p>
      <dl className="import-counts">
        {counts.map((c) => (
          <div key={c.id} className={`import-count count-${c.tone} ${c.n === 0 ? 'is-zero' : ''}`}>
            <dt>{t(`ui.users.import.counts.${tense}.${c.id}`)}</dt>
            <dd>{format.number(c.n)}</dd>
          </div>
        ))}
      </dl>
      {(result.notices.length > 0 || unlisted.length > 0) && (
        <div className="alert alert-warning import-notices">
          <ul>
            {result.notices.map((n) => <li key={n}>{n}</li>)}
            {unlisted.length > 0 && (
              <li>{t('ui.users.import.unknownColumns', { count: unlisted.length, columns: unlisted.map((c) => `“${c}”`).join(', ') })}</li>
            )}
          </ul>
        </div>
      )}
      {errors > 0 && result.errorReportFileId && (
        <div className="import-report">
          <span>{t('ui.users.import.errorsHelp', { count: errors, n: format.number(errors) })}</span>
          <button type="button" className="button button-small" onClick={() => onDownloadReport(result.errorReportFileId!)}>
            {t('ui.users.import.downloadReport')}
          </button>
        </div>
      )}
      {result.preview.length > 0 && <PreviewTable rows={result.preview} total={result.rows} />}
    </section>
  );
}

function PreviewTable({ rows, total }: { rows: ImportPreviewRow[]; total: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="preview">
      <p className="preview-caption muted small">
        {rows.length < total
          ? t('ui.users.import.previewSome', { count: rows.length, total: format.number(total) })
          : t('ui.users.import.previewAll', { count: rows.length })}
      </p>
      <div className="preview-scroll">
        <table className="preview-table" aria-label={t('ui.users.import.previewLabel')}>
          <thead>
            <tr>
              <th scope="col">{t('ui.users.import.col.row')}</th>
              <th scope="col">{t('ui.users.import.col.action')}</th>
              <th scope="col">{t('ui.users.columns.name')}</th>
              <th scope="col">{t('ui.users.columns.email')}</th>
              <th scope="col">{t('ui.users.columns.role')}</th>
              <th scope="col">{t('ui.users.columns.organization')}</th>
              <th scope="col">{t('ui.users.import.col.details')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.row} className={`preview-row action-${r.action}`}>
                <td className="num">{r.row}</td>
                <td><span className={`badge action-badge action-${r.action}`}>{t(`ui.users.import.action.${r.action}`)}</span></td>
                <td>{r.name}</td>
                <td>{r.email}</td>
                <td className="nowrap">{r.role}</td>
                <td>{r.organization}</td>
                <td className="preview-details">
                  {r.messages.length > 0 ? (
                    <ul className="preview-messages">{r.messages.map((m, i) => <li key={i}>{m}</li>)}</ul>
                  ) : r.changes.length > 0 ? (
                    <span className="muted">{t('ui.users.import.changes', { fields: r.changes.map((c) => t(`ui.users.import.field.${c}`, { defaultValue: c })).join(', ') })}</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
