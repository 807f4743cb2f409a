import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalModule } from '../../../shared/model/org-settings.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { errorText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';
import { HomePreview } from './HomePreview.tsx';
import { ModuleDialog } from './ModuleDialog.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

/** The Modules tab: the links of the end users' Home, with a preview of it. */
export function ModulesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const query = useApiQuery('modules.list', { orgId });
  const remove = useApiMutation('modules.delete');
  const [editing, setEditing] = useState<PortalModule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<PortalModule | null>(null);

  if (query.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (query.isError) {
    return (
      <LoadError query={query} />
    );
  }
  const modules = query.data.items;

  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate({ id: deleting.id }, {
      onSuccess: () => {
        toast.success(t('ui.modules.deleted', { name: deleting.label }));
        setDeleting(null);
      },
    });
  };

  return (
    <div className="tab-modules">
      <section className="panel" aria-labelledby="modules-title">
        <div className="panel-header">
          <h2 id="modules-title" className="panel-title">{t('ui.modules.title')}</h2>
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>{t('ui.modules.newModule')}</button>
        </div>
        {modules.length === 0 ? (
          <EmptyNotice title={t('ui.modules.empty')} />
        ) : (
          <table className="data-table" aria-labelledby="modules-title">
            <thead>
              <tr>
                <th scope="col">{t('ui.modules.name')}</th>
                <th scope="col">{t('ui.modules.url')}</th>
                <th scope="col">{t('ui.modules.visibility')}</th>
                <th scope="col"><span className="visually-hidden">{t('ui.modules.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {modules.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    {m.label} {!m.custom && <span className="pill">{t('ui.modules.builtIn')}</span>}
                  </th>
                  <td className="module-url">{m.url}</td>
                  <td>
                    <span className={`badge module-visibility is-${m.visibility}`}>{t(`ui.modules.${m.visibility}`)}</span>
                  </td>
                  <td className="row-actions">
                    <button type="button" className="button button-small" aria-label={t('ui.modules.editLabel', { name: m.label })} onClick={() => setEditing(m)}>
                      {t('ui.modules.edit')}
                    </button>
                    {m.custom && (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={t('ui.modules.deleteLabel', { name: m.label })}
                        onClick={() => { remove.reset(); setDeleting(m); }}
                      >
                        {t('ui.modules.delete')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <HomePreview modules={modules} />
      {editing && <ModuleDialog orgId={orgId} module={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title={t('ui.modules.deleteTitle', { name: deleting.label })}
          body={<p>{t('ui.modules.deleteBody')}</p>}
          confirmLabel={t('ui.modules.delete')}
          danger
          busy={remove.isPending}
          error={remove.error ? errorText(t, remove.error) : null}
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(null)}
        />
      )}
    </div>
  );
}
