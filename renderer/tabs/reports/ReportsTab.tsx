import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportCategory } from '../../../shared/model/org-settings.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { useAuditScope } from '../../state/audit-scope.ts';
import { useSession } from '../../state/session.ts';
import { toast } from '../../state/toasts.ts';
import { LastUpdate } from '../microservices/LastUpdate.tsx';
import { ReportCategoryDialog } from './ReportCategoryDialog.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

/** The Reports tab: predefined report categories on/off and the categories with their queries. */
export function ReportsTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const query = useApiQuery('reports.get', { orgId });
  const setSettings = useApiMutation('reports.setSettings');
  const setTab = useSession((s) => s.setTab);
  const openAuditScope = useAuditScope((s) => s.open);
  const [editing, setEditing] = useState<ReportCategory | 'new' | null>(null);

  if (query.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (query.isError) {
    return (
      <LoadError query={query} />
    );
  }
  const view = query.data;

  const toggle = (enabled: boolean) => {
    setSettings.mutate({ orgId, categoriesEnabled: enabled }, {
      onSuccess: () => toast.success(enabled ? t('ui.reports.on') : t('ui.reports.off')),
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  const viewAudit = () => {
    openAuditScope('reports.', t('ui.reports.categoriesTitle'));
    setTab('audit');
  };

  return (
    <div className="tab-org-settings">
      <section className="panel" aria-labelledby="reports-settings-title">
        <div className="panel-header">
          <h2 id="reports-settings-title" className="panel-title">{t('ui.reports.settingsTitle')}</h2>
          <button type="button" className="button" onClick={viewAudit}>{t('ui.reports.viewAudit')}</button>
        </div>
        <div className="org-settings-switch-row">
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={view.categoriesEnabled}
              disabled={setSettings.isPending}
              aria-describedby="reports-categories-help"
              onChange={(e) => toggle(e.target.checked)}
            />
            <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
            <span>{t('ui.reports.useCategories')}</span>
          </label>
          <p id="reports-categories-help" className="muted small">{t('ui.reports.useCategoriesHelp')}</p>
        </div>
      </section>

      <section className="panel" aria-labelledby="reports-categories-title">
        <div className="panel-header">
          <h2 id="reports-categories-title" className="panel-title">{t('ui.reports.categoriesTitle')}</h2>
          <button type="button" className="button button-primary" disabled={!view.categoriesEnabled} onClick={() => setEditing('new')}>
            {t('ui.reports.newCategory')}
          </button>
        </div>
        {!view.categoriesEnabled && <p className="alert alert-info" role="note">{t('ui.reports.offHint')}</p>}
        {view.categories.length === 0 ? (
          <EmptyNotice title={t('ui.reports.empty')} />
        ) : (
          <table className="data-table" aria-labelledby="reports-categories-title">
            <thead>
              <tr>
                <th scope="col">{t('ui.reports.name')}</th>
                <th scope="col">{t('ui.reports.description')}</th>
                <th scope="col" className="num">{t('ui.reports.queryCount')}</th>
                <th scope="col">{t('ui.reports.createdOn')}</th>
                <th scope="col">{t('ui.reports.createdBy')}</th>
                <th scope="col">{t('ui.reports.updatedOn')}</th>
                <th scope="col"><span className="visually-hidden">{t('ui.reports.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {view.categories.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td className="muted">{c.description}</td>
                  <td className="num" title={c.queries.join('\n')}>{format.number(c.queryCount)}</td>
                  <td className="nowrap"><time dateTime={c.createdAt}>{format.dateTime(c.createdAt)}</time></td>
                  <td>{c.createdBy?.name ?? '—'}</td>
                  <td className="nowrap"><time dateTime={c.updatedAt}>{format.dateTime(c.updatedAt)}</time></td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small"
                      disabled={!view.categoriesEnabled}
                      aria-label={t('ui.reports.editLabel', { name: c.name })}
                      onClick={() => setEditing(c)}
                    >
                      {t('ui.reports.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <LastUpdate value={view.lastUpdate} textKey="ui.reports.lastUpdate" />
      {editing && <ReportCategoryDialog orgId={orgId} category={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
