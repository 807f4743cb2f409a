import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';

const PAGE = 100;

/** Users imported from a directory wait here until an administrator accepts them (one, a selection, or all). */
export function PendingUsers({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmAll, setConfirmAll] = useState(false);
  const pending = useApiQuery('directory.pending.list', { orgId, offset, limit: PAGE });
  const accept = useApiMutation('directory.pending.accept');

  const done = (n: number) => {
    toast.success(t('ui.directory.accepted', { count: n }));
    setSelected(new Set());
    setConfirmAll(false);
  };
  const acceptIds = (ids: string[]) => accept.mutate({ orgId, ids }, { onSuccess: (r) => done(r.accepted), onError: (e) => toast.error(errorText(t, e)) });
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  const items = pending.data?.items ?? [];
  const total = pending.data?.total ?? 0;
  const allOnPage = items.length > 0 && items.every((u) => selected.has(u.id));

  return (
    <section className="panel" aria-labelledby="pending-title" data-testid="directory-pending">
      <div className="panel-header">
        <h2 id="pending-title" className="panel-title">{t('ui.directory.pendingTitle', { count: total })}</h2>
        <div className="directory-card-actions">
          <button type="button" className="button" disabled={selected.size === 0 || accept.isPending} onClick={() => acceptIds([...selected])}>
            {t('ui.directory.acceptSelected', { count: selected.size })}
          </button>
          <button type="button" className="button button-primary" disabled={total === 0 || accept.isPending} onClick={() => setConfirmAll(true)}>
            {t('ui.directory.acceptAll')}
          </button>
        </div>
      </div>
      <p className="muted">{t('ui.directory.pendingHelp')}</p>
      {pending.isError && <p className="alert alert-error" role="alert">{errorText(t, pending.error)}</p>}
      {pending.data && total === 0 && <p className="empty">{t('ui.directory.pendingEmpty')}</p>}
      {items.length > 0 && (
        <table className="preview-table">
          <thead>
            <tr>
              <th>
                <input type="checkbox" aria-label={t('ui.directory.selectPage')} checked={allOnPage}
                  onChange={() => setSelected((s) => {
                    const next = new Set(s);
                    for (const u of items) if (allOnPage) next.delete(u.id); else next.add(u.id);
                    return next;
                  })} />
              </th>
              <th>{t('ui.directory.col.name')}</th><th>{t('ui.directory.col.email')}</th><th>{t('ui.directory.col.dn')}</th><th>{t('ui.directory.col.imported')}</th><th />
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id} data-testid="pending-row">
                <td><input type="checkbox" aria-label={t('ui.directory.selectUser', { name: u.name })} checked={selected.has(u.id)} onChange={() => toggle(u.id)} /></td>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td className="muted mono directory-small">{u.dn}</td>
                <td>{format.dateTime(u.createdAt)}</td>
                <td><button type="button" className="button button-small" disabled={accept.isPending} onClick={() => acceptIds([u.id])}>{t('ui.directory.accept')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > PAGE && (
        <div className="directory-pager">
          <button type="button" className="button button-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('ui.directory.prev')}</button>
          <span className="muted">{t('ui.directory.pageOf', { from: offset + 1, to: Math.min(offset + PAGE, total), total })}</span>
          <button type="button" className="button button-small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>{t('ui.directory.next')}</button>
        </div>
      )}
      {confirmAll && (
        <ConfirmDialog
          title={t('ui.directory.acceptAllTitle')}
          body={t('ui.directory.acceptAllBody', { count: total })}
          confirmLabel={t('ui.directory.acceptAll')}
          busy={accept.isPending}
          onCancel={() => setConfirmAll(false)}
          onConfirm={() => accept.mutate({ orgId, all: true }, { onSuccess: (r) => done(r.accepted), onError: (e) => toast.error(errorText(t, e)) })}
        />
      )}
    </section>
  );
}
