/** Every conflict and refused change: base / mine / theirs, who and when, and what can be done with it. */
import { useTranslation } from 'react-i18next';
import type { ConflictView } from '../../shared/model/sync.ts';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { errorText } from '../components/errors.ts';
import { useFormat } from '../i18n/format.ts';
import { toast } from '../state/toasts.ts';

function Value({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') return <span className="muted">{t('ui.sync.empty')}</span>;
  return <span className="sync-value">{typeof value === 'string' ? value : JSON.stringify(value)}</span>;
}

export function ConflictsList({ orgId }: { orgId?: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useApiQuery('sync.conflicts', orgId ? { orgId } : {}, { refetchInterval: 3000 });
  const resolve = useApiMutation('sync.resolve');
  const act = (c: ConflictView, resolution: 'kept_mine' | 'kept_theirs' | 'dismissed') =>
    resolve.mutate({ id: c.id, resolution }, {
      onSuccess: () => toast.success(t('ui.sync.resolved')),
      onError: (err) => toast.error(errorText(t, err)),
    });
  const items = list.data?.items ?? [];
  if (items.length === 0) return <p className="muted sync-empty">{t('ui.sync.noConflicts')}</p>;
  return (
    <ul className="sync-conflicts" data-testid="sync-conflicts">
      {items.map((c) => (
        <li key={c.id} className={`sync-conflict sync-conflict-${c.kind}`}>
          <div className="sync-conflict-head">
            <strong>{t(`ui.sync.kinds.${c.kind}`)}</strong>
            <span className="muted small">{c.orgName ?? c.orgId} · {c.label ?? c.entity}{c.field ? ` · ${c.field}` : ''}</span>
          </div>
          {c.kind === 'field' ? (
            <dl className="sync-values">
              <dt>{t('ui.sync.base')}</dt><dd><Value value={c.base} /></dd>
              <dt>{t('ui.sync.mine')}</dt><dd data-testid="conflict-mine"><Value value={c.mine} /></dd>
              <dt>{t('ui.sync.theirs')}</dt>
              <dd data-testid="conflict-theirs">
                <Value value={c.theirs} />
                {c.theirsBy && <span className="muted small"> {t('ui.sync.by', { who: c.theirsBy, when: c.theirsAt ? format.dateTime(c.theirsAt) : '' })}</span>}
              </dd>
            </dl>
          ) : (
            c.message && <p className="small">{c.message}</p>
          )}
          <div className="sync-conflict-actions">
            {c.kind === 'field' ? (
              <>
                <button type="button" className="button button-small" disabled={resolve.isPending} onClick={() => act(c, 'kept_mine')}>{t('ui.sync.keepMine')}</button>
                <button type="button" className="button button-small" disabled={resolve.isPending} onClick={() => act(c, 'kept_theirs')}>{t('ui.sync.keepTheirs')}</button>
              </>
            ) : (
              <button type="button" className="button button-small" disabled={resolve.isPending} onClick={() => act(c, 'dismissed')}>{t('ui.sync.dismiss')}</button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
