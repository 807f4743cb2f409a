import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiKeyRow } from '../../../shared/model/api-keys.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { useAuditScope } from '../../state/audit-scope.ts';
import { useSession } from '../../state/session.ts';
import { CreateApiKeyDialog } from './CreateApiKeyDialog.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { EmptyNotice } from '../../components/EmptyNotice.tsx';

/** The API Keys tab of an organization: its keys (status from their dates), create, revoke. */
export function ApiKeysTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const keys = useApiQuery('apiKeys.list', { orgId });
  const revoke = useApiMutation('apiKeys.revoke');
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const setTab = useSession((s) => s.setTab);
  const openAuditScope = useAuditScope((s) => s.open);
  const viewAudit = () => {
    openAuditScope('apiKeys.', t('ui.apiKeys.title'));
    setTab('audit');
  };

  const confirmRevoke = () => {
    if (!revoking) return;
    setRevokeError(null);
    revoke.mutate({ id: revoking.id }, {
      onSuccess: (k) => {
        toast.success(t('ui.apiKeys.revoked', { name: k.name }));
        setRevoking(null);
      },
      onError: (e) => setRevokeError(errorText(t, e)),
    });
  };
  const when = (iso: string | null) => (iso ? format.dateTime(iso) : t('ui.apiKeys.never'));

  return (
    <div className="tab-api-keys">
      <section className="panel" aria-labelledby="api-keys-title">
        <div className="panel-header">
          <h2 id="api-keys-title" className="panel-title">{t('ui.apiKeys.title')}</h2>
          <div className="api-keys-actions">
            <button type="button" className="button" onClick={viewAudit}>{t('ui.apiKeys.viewAudit')}</button>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>+ {t('ui.apiKeys.new')}</button>
          </div>
        </div>
        <p className="muted">{t('ui.apiKeys.intro')} {t('ui.apiKeys.openApi')}</p>

        {keys.isPending && <p className="muted" role="status">{t('ui.apiKeys.loading')}</p>}
        {keys.isError && (
          <LoadError query={keys} />
        )}
        {keys.data && keys.data.items.length === 0 && <EmptyNotice title={t('ui.apiKeys.empty')} />}
        {keys.data && keys.data.items.length > 0 && (
          <div className="api-keys-scroll">
            <table className="api-keys-table" aria-labelledby="api-keys-title">
              <thead>
                <tr>
                  <th scope="col">{t('ui.apiKeys.columns.name')}</th>
                  <th scope="col">{t('ui.apiKeys.columns.status')}</th>
                  <th scope="col">{t('ui.apiKeys.columns.keyId')}</th>
                  <th scope="col">{t('ui.apiKeys.columns.role')}</th>
                  <th scope="col">{t('ui.apiKeys.columns.created')}</th>
                  <th scope="col">{t('ui.apiKeys.columns.expires')}</th>
                  <th scope="col">{t('ui.apiKeys.columns.revoked')}</th>
                  <th scope="col"><span className="visually-hidden">{t('ui.apiKeys.columns.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {keys.data.items.map((k) => (
                  <tr key={k.id} className={k.status !== 'active' ? 'is-inactive' : undefined}>
                    <th scope="row">{k.name}</th>
                    <td>
                      <span className={`badge api-key-status is-${k.status}`}>{t(`ui.apiKeys.status.${k.status}`)}</span>
                    </td>
                    <td><code className="mono">{k.keyId}</code></td>
                    <td>{k.roleName}</td>
                    <td>{when(k.createdAt)}</td>
                    <td>{when(k.expiresAt)}</td>
                    <td>{when(k.revokedAt)}</td>
                    <td className="api-key-actions">
                      {k.status !== 'revoked' && (
                        <button type="button" className="button button-small api-key-revoke" aria-label={t('ui.apiKeys.revokeAria', { name: k.name })}
                          onClick={() => { setRevokeError(null); setRevoking(k); }}>
                          {t('ui.apiKeys.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {creating && <CreateApiKeyDialog orgId={orgId} onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={t('ui.apiKeys.revokeTitle', { name: revoking.name })}
          body={t('ui.apiKeys.revokeBody', { keyId: revoking.keyId })}
          confirmLabel={t('ui.apiKeys.revokeConfirm')}
          danger
          busy={revoke.isPending}
          error={revokeError}
          onConfirm={confirmRevoke}
          onCancel={() => setRevoking(null)}
        />
      )}
    </div>
  );
}
