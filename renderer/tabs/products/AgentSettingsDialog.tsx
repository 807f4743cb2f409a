import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AGENT_SETTING_KEYS, DEFAULT_AGENT_SETTINGS, GroupName,
  type AgentSettingKey, type AgentSettings, type AgentSettingsView, type PartialAgentSettings, type ProductRow,
} from '../../../shared/model/products.ts';
import { agentSettingsIssues, completeSettings, mergeSettings } from '../../../shared/rules/products.ts';
import type { FieldIssue } from '../../../shared/model/errors.ts';
import { ApiError } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, zodIssue } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';
import { SettingsEditor } from './SettingsEditor.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The core's field issues, without the contract's `changes.` prefix. */
const coreIssues = (e: unknown): Record<string, FieldIssue[]> =>
  e instanceof ApiError && e.fields
    ? Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace(/^changes\.|^set\./, '').replace(/\.\d+$/, ''), v]))
    : {};

/** Agent settings of a product, and its reporting groups with their overrides. */
export function AgentSettingsDialog({ product, onClose }: { product: ProductRow; onClose(): void }) {
  const { t } = useTranslation();
  const view = useApiQuery('products.agentSettings', { productId: product.id });
  return (
    <Dialog title={t('ui.products.agent.title', { code: product.code })} onClose={onClose} className="dialog-wide dialog-agent">
      {view.isPending && <p className="muted">{t('ui.app.loading')}</p>}
      {view.isError && <p className="alert alert-error" role="alert">{errorText(t, view.error)}</p>}
      {view.data && <AgentSettingsBody view={view.data} />}
    </Dialog>
  );
}

function AgentSettingsBody({ view }: { view: AgentSettingsView }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'product' | 'groups'>('product');
  return (
    <>
      {view.role === 'organization_administrator' && <p className="alert alert-info" role="note">{t('ui.products.agent.orgAdminNote')}</p>}
      <div className="dialog-tabs" role="tablist">
        <button type="button" role="tab" className="tab" aria-selected={tab === 'product'} onClick={() => setTab('product')}>{t('ui.products.agent.productTab')}</button>
        <button type="button" role="tab" className="tab" aria-selected={tab === 'groups'} onClick={() => setTab('groups')}>
          {t('ui.products.groups.tab', { count: view.groups.length })}
        </button>
      </div>
      {tab === 'product' ? <ProductSettingsForm key={view.productVersion} view={view} /> : <ReportingGroups view={view} />}
    </>
  );
}

/** Settings a role may see, completed for the controls (hidden ones are never shown or sent). */
const forControls = (s: PartialAgentSettings): AgentSettings => completeSettings(s, DEFAULT_AGENT_SETTINGS);

function ProductSettingsForm({ view }: { view: AgentSettingsView }) {
  const { t } = useTranslation();
  const update = useApiMutation('products.updateAgentSettings');
  const saved = forControls(view.settings);
  const [draft, setDraft] = useState<AgentSettings>(saved);
  const [serverIssues, setServerIssues] = useState<Record<string, FieldIssue[]>>({});
  const changes = Object.fromEntries(AGENT_SETTING_KEYS.filter((k) => !view.hidden.includes(k) && !same(draft[k], saved[k])).map((k) => [k, draft[k]])) as PartialAgentSettings;
  const dirty = Object.keys(changes).length > 0;
  const issues = { ...serverIssues, ...agentSettingsIssues(draft) };
  const submit = () => {
    if (Object.keys(agentSettingsIssues(draft)).length > 0) return;
    update.mutate({ productId: view.productId, baseVersion: view.productVersion, changes }, {
      onSuccess: () => toast.success(t('ui.products.agent.saved')),
      onError: (e) => { setServerIssues(coreIssues(e)); toast.error(errorText(t, e)); },
    });
  };
  return (
    <form className="agent-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <SettingsEditor
        idPrefix="product"
        value={draft}
        hidden={view.hidden}
        minAgentVersion={view.minAgentVersion}
        issues={issues}
        onChange={(k, v) => { setDraft({ ...draft, [k]: v }); setServerIssues({}); }}
      />
      <div className="form-actions">
        <button type="button" className="button" disabled={!dirty} onClick={() => setDraft(saved)}>{t('ui.products.agent.discard')}</button>
        <button type="submit" className="button button-primary" disabled={!dirty || update.isPending}>{t('ui.products.agent.save')}</button>
      </div>
    </form>
  );
}

function ReportingGroups({ view }: { view: AgentSettingsView }) {
  const { t } = useTranslation();
  const create = useApiMutation('products.createReportingGroup');
  const remove = useApiMutation('products.deleteReportingGroup');
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const editingGroup = view.groups.find((g) => g.id === editing);
  const deletingGroup = view.groups.find((g) => g.id === deleting);
  const label = (k: string) => t(`ui.products.agent.short.${k}`);

  return (
    <div className="groups">
      <p className="muted">{t('ui.products.groups.help')}</p>
      <form
        className="group-add"
        onSubmit={(e) => {
          e.preventDefault();
          const issue = zodIssue(GroupName.safeParse(name));
          if (issue) return setNameError(t(issue));
          create.mutate({ productId: view.productId, name }, {
            onSuccess: () => { setName(''); setNameError(null); toast.success(t('ui.products.groups.created', { name: name.trim() })); },
            onError: (err) => setNameError(errorText(t, err)),
          });
        }}
      >
        <Field label={t('ui.products.groups.name')} error={nameError}>
          {(f) => <input {...f} className="input" value={name} onChange={(e) => { setName(e.target.value); setNameError(null); }} />}
        </Field>
        <button type="submit" className="button" disabled={create.isPending}>{t('ui.products.groups.add')}</button>
      </form>
      {view.groups.length === 0 ? (
        <EmptyNotice title={t('ui.products.groups.empty')} />
      ) : (
        <table className="data-table groups-table">
          <thead>
            <tr>
              <th scope="col">{t('ui.products.groups.name')}</th>
              <th scope="col">{t('ui.products.groups.differsFrom')}</th>
              <th scope="col"><span className="visually-hidden">{t('ui.products.columns.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {view.groups.map((g) => (
              <tr key={g.id} data-testid={`group-${g.name}`}>
                <th scope="row">{g.name}</th>
                <td>
                  {g.differs.length === 0
                    ? <span className="muted">{t('ui.products.groups.sameAsProduct')}</span>
                    : g.differs.map((k) => <span key={k} className="badge badge-warn group-differs">{label(k)}</span>)}
                </td>
                <td className="row-actions">
                  <button type="button" className="button button-small" onClick={() => setEditing(g.id)}>{t('ui.products.groups.edit')}</button>
                  <button type="button" className="button button-small button-ghost-danger" onClick={() => setDeleting(g.id)}>{t('ui.products.groups.delete')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editingGroup && <GroupOverridesDialog key={editingGroup.version} view={view} groupId={editingGroup.id} onClose={() => setEditing(null)} />}
      {deletingGroup && (
        <ConfirmDialog
          title={t('ui.products.groups.deleteTitle', { name: deletingGroup.name })}
          body={t('ui.products.groups.deleteBody')}
          confirmLabel={t('ui.products.groups.delete')}
          danger
          busy={remove.isPending}
          error={remove.error ? errorText(t, remove.error) : null}
          onCancel={() => { setDeleting(null); remove.reset(); }}
          onConfirm={() => remove.mutate({ id: deletingGroup.id }, {
            onSuccess: () => { setDeleting(null); toast.success(t('ui.products.groups.deleted', { name: deletingGroup.name })); },
          })}
        />
      )}
    </div>
  );
}

function GroupOverridesDialog({ view, groupId, onClose }: { view: AgentSettingsView; groupId: string; onClose(): void }) {
  const { t } = useTranslation();
  const group = view.groups.find((g) => g.id === groupId)!;
  const update = useApiMutation('products.updateReportingGroup');
  const productSettings = forControls(view.settings);
  const [overrides, setOverrides] = useState<PartialAgentSettings>(group.overrides);
  const [serverIssues, setServerIssues] = useState<Record<string, FieldIssue[]>>({});
  const overridden = useMemo(() => new Set(Object.keys(overrides)), [overrides]);
  const effective = mergeSettings(productSettings, overrides);
  const differs = new Set(AGENT_SETTING_KEYS.filter((k) => overridden.has(k) && !same(effective[k], productSettings[k])));
  const issues = { ...serverIssues, ...agentSettingsIssues(effective) };
  const save = () => {
    if (Object.keys(agentSettingsIssues(effective)).length > 0) return;
    const inherit = Object.keys(group.overrides).filter((k) => !overridden.has(k));
    update.mutate({ id: group.id, baseVersion: group.version, set: overrides, inherit }, {
      onSuccess: () => { toast.success(t('ui.products.groups.saved', { name: group.name })); onClose(); },
      onError: (e) => { setServerIssues(coreIssues(e)); toast.error(errorText(t, e)); },
    });
  };
  return (
    <Dialog
      title={t('ui.products.groups.editTitle', { name: group.name })}
      onClose={onClose}
      className="dialog-wide"
      footer={(
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="button" className="button button-primary" onClick={save} disabled={update.isPending}>{t('ui.products.groups.save')}</button>
        </>
      )}
    >
      <p className="muted">{t('ui.products.groups.editHelp')}</p>
      <SettingsEditor
        idPrefix={`group-${group.id}`}
        value={effective}
        hidden={view.hidden}
        minAgentVersion={view.minAgentVersion}
        issues={issues}
        overridden={overridden}
        differs={differs}
        onOverride={(k: AgentSettingKey, on) => {
          const next = { ...overrides } as Record<string, unknown>;
          if (on) next[k] = productSettings[k];
          else delete next[k];
          setOverrides(next as PartialAgentSettings);
          setServerIssues({});
        }}
        onChange={(k, v) => { setOverrides({ ...overrides, [k]: v }); setServerIssues({}); }}
      />
    </Dialog>
  );
}
