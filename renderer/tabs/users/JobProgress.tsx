import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';

export interface ProgressState {
  /** ui.users.progress.<phase> */
  phase: string;
  done: number;
  total: number;
  /** Per second within the phase (rows, or bytes while reading a file). */
  rate: number;
  /** What done/total count. */
  unit: 'rows' | 'bytes';
}

/** A progress bar with what is happening, how far, how fast, and (optionally) Cancel. */
export function JobProgress({ state, label, onCancel, cancelling }: { state: ProgressState; label: string; onCancel?(): void; cancelling?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const known = state.total > 0;
  const pct = known ? Math.min(100, Math.floor((state.done / state.total) * 100)) : 0;
  const amount = !known ? ''
    : state.unit === 'bytes' ? t('ui.users.progress.bytesOf', { done: format.bytes(state.done), total: format.bytes(state.total), pct })
      : t('ui.users.progress.rowsOf', { done: format.number(state.done), total: format.number(state.total), pct });
  const rate = state.rate > 0
    ? state.unit === 'bytes' ? t('ui.users.progress.bytesRate', { rate: format.bytes(state.rate) }) : t('ui.users.progress.rowsRate', { rate: format.number(state.rate) })
    : '';
  return (
    <div className="job-progress">
      <div className="job-progress-text">
        <span className="job-progress-phase">{t(`ui.users.progress.${state.phase}`, { defaultValue: state.phase })}</span>
        <span className="job-progress-amount">{[amount, rate].filter(Boolean).join(' · ')}</span>
        {onCancel && (
          <button type="button" className="button button-small" onClick={onCancel} disabled={cancelling}>
            {cancelling ? t('ui.users.progress.cancelling') : t('ui.dialog.cancel')}
          </button>
        )}
      </div>
      <div
        className={`progress ${known ? '' : 'progress-indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? pct : undefined}
        aria-valuetext={[t(`ui.users.progress.${state.phase}`, { defaultValue: state.phase }), amount, rate].filter(Boolean).join(', ')}
      >
        <div className="progress-fill" style={{ width: known ? `${pct}%` : undefined }} />
      </div>
    </div>
  );
}
