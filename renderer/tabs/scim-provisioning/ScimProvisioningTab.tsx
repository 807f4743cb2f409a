import { useTranslation } from 'react-i18next';
import { useId, useState, type FormEvent } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { fieldIssues } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import type { Out } from '../../../shared/contract.ts';
import type { ScimGroupRow, ScimOverview, ScimSyncResult } from '../../../shared/model/scim.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

/**
 * The SCIM Provisioning tab: the groups the identity manager pushed, each mapped to a role (and
 * the sub-organization its users belong to), "Sync assigned roles" with a summary of exactly what
 * changed, users in two groups flagged, and the retention of archived SCIM users.
 */
export function ScimProvisioningTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const overview = useApiQuery('scim.overview', { orgId });
  const sync = useApiMutation('scim.syncRoles');
  const [mapping, setMapping] = useState<ScimGroupRow | null>(null);
  const [summary, setSummary] = useState<ScimSyncResult | null>(null);

  if (overview.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (overview.isError) {
    return (
      <LoadError query={overview} />
    );
  }
  const o = overview.data;
  const hasSubOrgs = o.organizations.length > 1;
  const runSync = () => {
    sync.mutate({ orgId: o.mainOrgId }, {
      onSuccess: (result) => setSummary(result),
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  return (
    <div className="tab-scim">
      <div className="scim-main">
        <section className="panel" aria-labelledby="scim-groups-title">
          <div className="panel-header">
            <h2 id="scim-groups-title" className="panel-title">{t('ui.scimTab.groupsTitle')}</h2>
            <button type="button" className="button button-primary" disabled={sync.isPending || o.groups.length === 0} onClick={runSync}>
              {sync.isPending ? t('ui.scimTab.syncing') : t('ui.scimTab.sync')}
            </button>
          </div>
          <p className="muted small">{t('ui.scimTab.groupsHelp', { name: o.mainOrgName })} {t('ui.scimTab.syncHelp')}</p>
          {o.groups.length === 0 ? (
            <EmptyNotice title={t('ui.scimTab.empty')} />
          ) : (
            <table className="data-table scim-groups" aria-labelledby="scim-groups-title">
              <thead>
                <tr>
                  <th scope="col">{t('ui.scimTab.name')}</th>
                  <th scope="col" className="num">{t('ui.scimTab.members')}</th>
                  <th scope="col">{t('ui.scimTab.role')}</th>
                  {hasSubOrgs && <th scope="col">{t('ui.scimTab.organization')}</th>}
                  <th scope="col"><span className="visually-hidden">{t('ui.scimTab.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {o.groups.map((g) => (
                  <tr key={g.id}>
                    <th scope="row">{g.name}</th>
                    <td className="num">{format.number(g.memberCount)}</td>
                    <td>{g.roleName ?? <span className="badge is-off">{t('ui.scimTab.noRole')}</span>}</td>
                    {hasSubOrgs && <td>{g.orgName ?? t('ui.scimTab.mainOrg', { name: o.mainOrgName })}</td>}
                    <td className="row-actions">
                      <button type="button" className="button button-small" aria-label={t('ui.scimTab.assignLabel', { name: g.name })} onClick={() => setMapping(g)}>
                        {t('ui.scimTab.assign')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        {o.conflicts.length > 0 && (
          <section className="panel" aria-labelledby="scim-conflicts-title">
            <h2 id="scim-conflicts-title" className="panel-title">{t('ui.scimTab.conflictsTitle')}</h2>
            <p className="alert alert-warning" role="note">{t('ui.scimTab.conflictsHelp')}</p>
            <ul className="scim-conflicts">
              {o.conflicts.map((c) => (
                <li key={c.userId}>{t('ui.scimTab.conflictLine', { name: c.name, userName: c.userName, groups: c.groups.join(', ') })}</li>
              ))}
            </ul>
          </section>
        )}
      </div>

      <aside className="side-column">
        <section className="panel" aria-labelledby="scim-stats-title">
          <h2 id="scim-stats-title" className="visually-hidden">{t('ui.scimTab.statsUsers')}</h2>
          <dl className="stat-cards">
            <div className="stat-card"><dt>{t('ui.scimTab.statsUsers')}</dt><dd>{format.number(o.scimUsers)}</dd></div>
            <div className="stat-card"><dt>{t('ui.scimTab.statsUnlisted')}</dt><dd>{format.number(o.unlistedUsers)}</dd></div>
          </dl>
          <p className="muted small">{t('ui.scimTab.statsUnlistedHelp')}</p>
        </section>
        {/* Keyed by the stored value: a change made elsewhere resets the form. */}
        <RetentionPanel key={String(o.archivedRetentionDays)} overview={o} />
      </aside>

      {mapping && <MapGroupDialog group={mapping} overview={o} onClose={() => setMapping(null)} />}
      {summary && <SyncSummaryDialog summary={summary} onClose={() => setSummary(null)} />}
    </div>
  );
}

function MapGroupDialog({ group, overview, onClose }: { group: ScimGroupRow; overview: ScimOverview; onClose(): void }) {
  const { t } = useTranslation();
  const formId = useId();
  const roles = useApiQuery('roles.list', {}, { staleTime: 5 * 60_000 });
  const map = useApiMutation('scim.mapGroup');
  const hasSubOrgs = overview.organizations.length > 1;
  const [orgId, setOrgId] = useState(group.orgId ?? overview.mainOrgId);
  const [roleId, setRoleId] = useState(group.roleId ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!roleId) { setErrors({ roleId: issueText(t, 'scim.role_required') }); return; }
    map.mutate({ groupId: group.id, roleId, orgId, baseVersion: group.version }, {
      onSuccess: (row: Out<'scim.mapGroup'>) => {
        toast.success(t('ui.scimTab.mapped', { group: row.name, role: row.roleName ?? '' }));
        onClose();
      },
      onError: (err) => {
        const issues = fieldIssues(err);
        if (Object.keys(issues).length) setErrors(Object.fromEntries(Object.entries(issues).map(([k, v]) => [k, issueText(t, v)])));
        else setErrors({ _: errorText(t, err) });
      },
    });
  };

  return (
    <Dialog
      title={t('ui.scimTab.assignTitle', { name: group.name })}
      onClose={onClose}
      initialFocus={`[id="${CSS.escape(formId)}"] select`}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form={formId} className="button button-primary" disabled={map.isPending}>
            {map.isPending ? t('ui.scimTab.saving') : t('ui.scimTab.save')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <p className="muted small">{t('ui.scimTab.assignHelp')}</p>
        {hasSubOrgs && (
          <Field label={t('ui.scimTab.orgField')} help={t('ui.scimTab.orgHelp')} error={errors.orgId ?? null}>
            {(a) => (
              <select {...a} className="select" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
                {overview.organizations.map((o) => (
                  <option key={o.id} value={o.id}>{o.id === overview.mainOrgId ? t('ui.scimTab.mainOrg', { name: o.name }) : o.path}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t('ui.scimTab.roleField')} error={errors.roleId ?? null}>
          {(a) => (
            <select {...a} className="select" value={roleId} onChange={(e) => { setRoleId(e.target.value); setErrors({}); }}>
              <option value="">{t('ui.scimTab.chooseRole')}</option>
              {roles.data?.items.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
            </select>
          )}
        </Field>
        {errors._ && <p className="alert alert-error" role="alert">{errors._}</p>}
      </form>
    </Dialog>
  );
}

function SyncSummaryDialog({ summary, onClose }: { summary: ScimSyncResult; onClose(): void }) {
  const { t } = useTranslation();
  const nothing = summary.changed.length === 0;
  return (
    <Dialog
      title={t('ui.scimTab.summaryTitle')}
      onClose={onClose}
      className="dialog-wide"
      footer={<button type="button" className="button button-primary" onClick={onClose}>{t('ui.dialog.close')}</button>}
    >
      <div className="scim-summary" data-testid="scim-sync-summary">
        {nothing ? <p>{t('ui.scimTab.summaryNone')}</p> : (
          <>
            <p>{t('ui.scimTab.summaryChanged', { count: summary.changed.length })}</p>
            <ul>
              {summary.changed.map((c) => (
                <li key={c.userId}>
                  {t('ui.scimTab.summaryLine', c)}
                  {c.fromOrg !== c.toOrg && t('ui.scimTab.summaryMoved', { fromOrg: c.fromOrg, toOrg: c.toOrg })}
                </li>
              ))}
            </ul>
          </>
        )}
        {summary.unchanged > 0 && !nothing && <p className="muted">{t('ui.scimTab.summaryUnchanged', { count: summary.unchanged })}</p>}
        {summary.skippedConflicts.length > 0 && (
          <>
            <p className="alert alert-warning">{t('ui.scimTab.summaryConflicts', { count: summary.skippedConflicts.length })}</p>
            <ul>{summary.skippedConflicts.map((c) => <li key={c.userId}>{c.name} ({c.email})</li>)}</ul>
          </>
        )}
        {summary.skippedUnmapped > 0 && <p className="muted">{t('ui.scimTab.summaryUnmapped', { count: summary.skippedUnmapped })}</p>}
      </div>
    </Dialog>
  );
}

function RetentionPanel({ overview }: { overview: ScimOverview }) {
  const { t } = useTranslation();
  const save = useApiMutation('scim.setRetention');
  const [on, setOn] = useState(overview.archivedRetentionDays !== null);
  const [days, setDays] = useState(String(overview.archivedRetentionDays ?? 30));
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(days);
    if (on && (!Number.isInteger(n) || n < 1 || n > 3650)) { setError(issueText(t, 'scim.retention_invalid')); return; }
    save.mutate({ orgId: overview.mainOrgId, days: on ? n : null }, {
      onSuccess: () => { setError(null); toast.success(t('ui.scimTab.retentionSaved')); },
      onError: (err) => setError(errorText(t, err)),
    });
  };

  return (
    <section className="panel" aria-labelledby="scim-retention-title">
      <h2 id="scim-retention-title" className="panel-title">{t('ui.scimTab.retentionTitle')}</h2>
      <form onSubmit={submit} noValidate className="scim-retention">
        <label className="check-row">
          <input type="checkbox" className="checkbox" checked={on} onChange={(e) => { setOn(e.target.checked); setError(null); }} />
          {t('ui.scimTab.retentionToggle')}
        </label>
        {on && (
          <Field label={t('ui.scimTab.retentionDays')} help={t('ui.scimTab.retentionHelp')} error={error}>
            {(a) => <input {...a} className="input" type="number" min={1} max={3650} inputMode="numeric" value={days} onChange={(e) => { setDays(e.target.value); setError(null); }} />}
          </Field>
        )}
        {!on && error && <p className="field-error">{error}</p>}
        <button type="submit" className="button button-small" disabled={save.isPending}>{t('ui.scimTab.retentionSave')}</button>
      </form>
    </section>
  );
}
