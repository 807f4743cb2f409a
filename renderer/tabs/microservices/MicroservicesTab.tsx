import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Microservice, MicroserviceCategory, MicroservicesView } from '../../../shared/model/org-settings.ts';
import { folderNameProblem } from '../../../shared/rules/org-settings.ts';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { useSaveShortcut } from '../../components/use-save-shortcut.ts';
import { toast } from '../../state/toasts.ts';
import { CategoryDialog } from './CategoryDialog.tsx';
import { LastUpdate } from './LastUpdate.tsx';
import { MicroserviceDialog } from './MicroserviceDialog.tsx';
import { InheritedNotice } from '../../components/InheritedNotice.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

/**
 * The Microservices tab: the end-user folder name, predefined categories (switched and edited on
 * the main organization, read-only below it) and the organization's microservices.
 */
export function MicroservicesTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const query = useApiQuery('microservices.get', { orgId });
  if (query.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (query.isError) {
    return (
      <LoadError query={query} />
    );
  }
  const view = query.data;
  return (
    <div className="tab-org-settings">
      <SettingsPanel key={`${orgId}:${view.folderName}`} view={view} />
      {view.categoriesEnabled && <CategoriesPanel view={view} />}
      <MicroservicesPanel view={view} />
      <LastUpdate value={view.lastUpdate} textKey="ui.microservices.lastUpdate" emptyKey="ui.microservices.neverUpdated" />
    </div>
  );
}

function SettingsPanel({ view }: { view: MicroservicesView }) {
  const { t } = useTranslation();
  const setSettings = useApiMutation('microservices.setSettings');
  const [folder, setFolder] = useState(view.folderName);
  const [touched, setTouched] = useState(false);
  const [confirmOff, setConfirmOff] = useState(false);
  const localProblem = touched ? folderNameProblem(folder.trim()) : null;
  const serverIssues = fieldIssues(setSettings.error);
  const folderError = localProblem ? t(localProblem) : serverIssues.folderName ? issueText(t, serverIssues.folderName) : null;
  const dirty = folder.trim() !== view.folderName;
  const categorized = view.categories.reduce((n, c) => n + c.microservices, 0);

  const saveFolder = (e?: FormEvent) => {
    e?.preventDefault();
    setTouched(true);
    if (!dirty || folderNameProblem(folder.trim())) return;
    setSettings.mutate({ orgId: view.orgId, folderName: folder.trim() }, {
      onSuccess: () => toast.success(t('ui.microservices.saved')),
    });
  };
  useSaveShortcut(() => saveFolder());

  const switchCategories = (enabled: boolean, confirmed = false) => {
    if (!enabled && !confirmed) {
      setConfirmOff(true);
      return;
    }
    setSettings.mutate({ orgId: view.orgId, categoriesEnabled: enabled, ...(enabled ? {} : { confirmUncategorize: true }) }, {
      onSuccess: (v) => {
        setConfirmOff(false);
        toast.success(enabled ? t('ui.microservices.categoriesOn') : t('ui.microservices.categoriesOffDone', { count: v.uncategorized }));
      },
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  return (
    <section className="panel" aria-labelledby="ms-settings-title">
      <h2 id="ms-settings-title" className="panel-title">{t('ui.microservices.settingsTitle')}</h2>
      <form className="org-settings-folder" onSubmit={saveFolder} noValidate>
        <Field label={t('ui.microservices.folder')} error={folderError} help={t('ui.microservices.folderHelp')}>
          {(a) => (
            <input
              {...a}
              className="input"
              value={folder}
              maxLength={60}
              onChange={(e) => setFolder(e.target.value)}
              onBlur={() => setTouched(true)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={!dirty || setSettings.isPending}>{t('ui.microservices.save')}</button>
      </form>

      <div className="org-settings-switch-row">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={view.categoriesEnabled}
            disabled={view.inherited || setSettings.isPending}
            aria-describedby="ms-categories-help"
            onChange={(e) => switchCategories(e.target.checked)}
          />
          <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
          <span>{t('ui.microservices.useCategories')}</span>
        </label>
        <p id="ms-categories-help" className="muted small">{t('ui.microservices.useCategoriesHelp')}</p>
      </div>
      {view.inherited && (
        <InheritedNotice text={t('ui.microservices.inherited', { name: view.mainOrgName })} goLabel={t('ui.microservices.goToMain', { name: view.mainOrgName })} mainOrgId={view.mainOrgId} tab="microservices" />
      )}
      {confirmOff && (
        <ConfirmDialog
          title={t('ui.microservices.offTitle')}
          body={<p>{categorized > 0 ? t('ui.microservices.offBody', { count: categorized }) : t('ui.microservices.offBodyNone')}</p>}
          confirmLabel={t('ui.microservices.offConfirm')}
          danger
          busy={setSettings.isPending}
          error={setSettings.error ? errorText(t, setSettings.error) : null}
          onConfirm={() => switchCategories(false, true)}
          onCancel={() => setConfirmOff(false)}
        />
      )}
    </section>
  );
}

function CategoriesPanel({ view }: { view: MicroservicesView }) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<MicroserviceCategory | null>(null);
  const remove = useApiMutation('microservices.deleteCategory');
  const editable = !view.inherited;

  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate({ id: deleting.id }, {
      onSuccess: (r) => {
        toast.success(t('ui.microservices.categoryDeleted', { count: r.uncategorized }));
        setDeleting(null);
      },
    });
  };

  return (
    <section className="panel" aria-labelledby="ms-categories-title">
      <div className="panel-header">
        <h2 id="ms-categories-title" className="panel-title">{t('ui.microservices.categoriesTitle')}</h2>
        {editable && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>{t('ui.microservices.newCategory')}</button>
        )}
      </div>
      {view.categories.length === 0 ? (
        <EmptyNotice title={t(editable ? 'ui.microservices.noCategories' : 'ui.microservices.noCategoriesInherited')} />
      ) : (
        <table className="data-table" aria-labelledby="ms-categories-title">
          <thead>
            <tr>
              <th scope="col">{t('ui.microservices.categoryName')}</th>
              <th scope="col" className="num">{t('ui.microservices.categoryCount')}</th>
              {editable && <th scope="col"><span className="visually-hidden">{t('ui.microservices.actions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {view.categories.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                <td className="num">{c.microservices}</td>
                {editable && (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={t('ui.microservices.deleteCategoryLabel', { name: c.name })}
                      onClick={() => { remove.reset(); setDeleting(c); }}
                    >
                      {t('ui.microservices.deleteCategory')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && <CategoryDialog orgId={view.orgId} onClose={() => setCreating(false)} />}
      {deleting && (
        <ConfirmDialog
          title={t('ui.microservices.deleteCategoryTitle', { name: deleting.name })}
          body={<p>{deleting.microservices > 0
            ? t('ui.microservices.deleteCategoryBody', { count: deleting.microservices })
            : t('ui.microservices.deleteCategoryBodyNone')}</p>}
          confirmLabel={t('ui.microservices.deleteCategory')}
          danger
          busy={remove.isPending}
          error={remove.error ? errorText(t, remove.error) : null}
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

function MicroservicesPanel({ view }: { view: MicroservicesView }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Microservice | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Microservice | null>(null);
  const remove = useApiMutation('microservices.delete');

  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate({ id: deleting.id }, {
      onSuccess: () => {
        toast.success(t('ui.microservices.deleted', { name: deleting.name }));
        setDeleting(null);
      },
    });
  };

  return (
    <section className="panel" aria-labelledby="ms-list-title">
      <div className="panel-header">
        <h2 id="ms-list-title" className="panel-title">{t('ui.microservices.listTitle')}</h2>
        <button type="button" className="button button-primary" onClick={() => setEditing('new')}>{t('ui.microservices.newMicroservice')}</button>
      </div>
      {view.items.length === 0 ? (
        <EmptyNotice title={t('ui.microservices.empty')} />
      ) : (
        <table className="data-table" aria-labelledby="ms-list-title">
          <thead>
            <tr>
              <th scope="col">{t('ui.microservices.name')}</th>
              <th scope="col">{t('ui.microservices.description')}</th>
              <th scope="col">{t('ui.microservices.category')}</th>
              <th scope="col"><span className="visually-hidden">{t('ui.microservices.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {view.items.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.name}</th>
                <td className="muted">{m.description}</td>
                <td>{m.categoryName ? <span className="pill">{m.categoryName}</span> : <span className="muted">{t('ui.microservices.uncategorized')}</span>}</td>
                <td className="row-actions">
                  <button type="button" className="button button-small" aria-label={t('ui.microservices.editLabel', { name: m.name })} onClick={() => setEditing(m)}>
                    {t('ui.microservices.edit')}
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={t('ui.microservices.deleteLabel', { name: m.name })}
                    onClick={() => { remove.reset(); setDeleting(m); }}
                  >
                    {t('ui.microservices.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <MicroserviceDialog view={view} item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title={t('ui.microservices.deleteTitle', { name: deleting.name })}
          body={<p>{t('ui.microservices.deleteBody')}</p>}
          confirmLabel={t('ui.microservices.delete')}
          danger
          busy={remove.isPending}
          error={remove.error ? errorText(t, remove.error) : null}
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
