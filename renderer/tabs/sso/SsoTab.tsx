import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionRow } from '../../../shared/model/identity.ts';
import type { ConnectionKind } from '../../../shared/rules/identity.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { MenuButton } from '../../components/MenuButton.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { CertBadge, ConnectionWizard } from './ConnectionWizard.tsx';
import { CopyField } from './CopyField.tsx';
import { ScimPanel } from './ScimPanel.tsx';
import { InheritedNotice } from '../../components/InheritedNotice.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

const KINDS: ConnectionKind[] = ['okta', 'entra', 'saml'];

/**
 * The SSO Integrations tab: the main organization's SAML connections to its identity managers,
 * with certificate warnings and SCIM provisioning. A sub-organization sees them read-only.
 */
export function SsoTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useApiQuery('sso.list', { orgId });
  const domains = useApiQuery('domains.list', { orgId });
  const remove = useApiMutation('sso.remove');
  const [wizard, setWizard] = useState<{ kind: ConnectionKind; existing: ConnectionRow | null } | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ConnectionRow | null>(null);

  if (list.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (list.isError) {
    return (
      <LoadError query={list} />
    );
  }
  const { items, alerts, inherited, mainOrgId, mainOrgName } = list.data;
  const selected = items.find((c) => c.id === selectedId) ?? (items.length === 1 ? items[0]! : null);

  return (
    <div className="tab-identity">
      <div className="identity-main">
        {alerts.map((a) => (
          <p key={a.connectionId} className={`alert ${a.status === 'expired' ? 'alert-error' : 'alert-warning'}`} role="alert" data-testid="cert-alert">
            {t(a.status === 'expired' ? 'ui.sso.alertExpired' : 'ui.sso.alertExpiring', { name: a.name, date: a.expiresAt ? format.date(a.expiresAt) : '' })}
          </p>
        ))}
        <section className="panel" aria-labelledby="sso-title">
          <div className="panel-header">
            <h2 id="sso-title" className="panel-title">{t('ui.sso.title')}</h2>
            {!inherited && (
              <MenuButton
                label={t('ui.sso.newConnection')}
                className="button button-primary"
                align="end"
                items={KINDS.map((kind) => ({ id: kind, label: t(`ui.sso.kinds.${kind}`), onSelect: () => setWizard({ kind, existing: null }) }))}
              />
            )}
          </div>
          <p className="muted">{t('ui.sso.help')}</p>
          {inherited && (
            <InheritedNotice text={t('ui.sso.inherited', { name: mainOrgName })} goLabel={t('ui.sso.goToMain', { name: mainOrgName })} mainOrgId={mainOrgId} tab="sso" />
          )}
          {items.length === 0 ? (
            <EmptyNotice title={t('ui.sso.empty')} help={t('ui.sso.emptyHelp')} />
          ) : (
            <table className="data-table identity-table" data-testid="sso-table">
              <thead>
                <tr>
                  <th scope="col">{t('ui.sso.colName')}</th>
                  <th scope="col">{t('ui.sso.colProvider')}</th>
                  <th scope="col">{t('ui.sso.colCertificate')}</th>
                  <th scope="col">{t('ui.sso.colDomains')}</th>
                  <th scope="col">{t('ui.sso.colScim')}</th>
                  <th scope="col" className="row-actions">{t('ui.sso.colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} className={c.id === selected?.id ? 'is-selected' : undefined} data-connection={c.name}>
                    <th scope="row">
                      <button type="button" className="link-button" onClick={() => setSelectedId(c.id)} aria-expanded={c.id === selected?.id}>{c.name}</button>
                    </th>
                    <td>{t(`ui.sso.providers.${c.provider}`)}</td>
                    <td className="nowrap">
                      {c.certificateExpiresAt
                        ? t(`ui.sso.certStatus.${c.certificateStatus}`, { date: format.shortDate(c.certificateExpiresAt) })
                        : t('ui.sso.certStatus.none')}
                      {(c.certificateStatus === 'expiring' || c.certificateStatus === 'expired') && <> <CertBadge status={c.certificateStatus} /></>}
                    </td>
                    <td>{c.domains.length > 0 ? c.domains.map((d) => d.name).join(', ') : <span className="muted">{t('ui.sso.noDomains')}</span>}</td>
                    <td>{c.scim.enabled ? t('ui.sso.scimOn') : t('ui.sso.scimOff')}</td>
                    <td className="row-actions">
                      {!inherited && (
                        <>
                          <button type="button" className="button button-small" onClick={() => setWizard({ kind: c.kind, existing: c })}>{t('ui.sso.edit')}</button>
                          <button type="button" className="button button-small button-ghost-danger" onClick={() => setRemoving(c)}>{t('ui.sso.remove')}</button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        {selected && (
          <section className="panel" aria-labelledby="sso-detail-title" data-testid="sso-detail">
            <h2 id="sso-detail-title" className="panel-title">{selected.name}</h2>
            <h3 className="identity-subtitle">{t('ui.sso.spTitle')}</h3>
            <CopyField label={t('ui.sso.acsUrl')} value={selected.sp.acsUrl} />
            <CopyField label={t('ui.sso.entityId')} value={selected.sp.entityId} />
            <CopyField label={t('ui.sso.metadataUrl')} value={selected.sp.metadataUrl} />
            <h3 className="identity-subtitle">{t('ui.sso.idpTitle')}</h3>
            <dl className="facts identity-facts">
              <div><dt>{t('ui.sso.idpEntityId')}</dt><dd className="mono">{selected.idpEntityId}</dd></div>
              <div><dt>{t('ui.sso.idpSsoUrl')}</dt><dd className="mono">{selected.idpSsoUrl}</dd></div>
              <div>
                <dt>{t('ui.sso.certificates')}</dt>
                <dd>
                  <ul className="identity-cert-list">
                    {selected.certificates.map((c) => (
                      <li key={c.fingerprint}>
                        <CertBadge status={c.status} />{' '}
                        {t('ui.sso.certificateInfo', { subject: c.subject, date: format.shortDate(c.notAfter), fingerprint: `${c.fingerprint.slice(0, 23)}…` })}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            </dl>
          </section>
        )}
      </div>

      <aside className="side-column">
        {selected && <ScimPanel connection={selected} readOnly={inherited} />}
      </aside>

      {wizard && (
        <ConnectionWizard
          orgId={mainOrgId}
          kind={wizard.kind}
          existing={wizard.existing}
          domains={domains.data?.items ?? []}
          onClose={() => setWizard(null)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={t('ui.sso.removeTitle', { name: removing.name })}
          body={t('ui.sso.removeBody')}
          confirmLabel={t('ui.sso.removeConfirm')}
          danger
          busy={remove.isPending}
          error={remove.error ? errorText(t, remove.error) : null}
          onCancel={() => { remove.reset(); setRemoving(null); }}
          onConfirm={() => remove.mutate({ id: removing.id }, {
            onSuccess: () => { toast.success(t('ui.sso.removed', { name: removing.name })); setRemoving(null); },
          })}
        />
      )}
    </div>
  );
}
