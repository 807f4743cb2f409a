/** Connect to a Portal, see and drive the sync, review conflicts and refused changes. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../shared/model/sync.ts';
import { portalOrigin } from '../../shared/rules/sync.ts';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/Field.tsx';
import { errorText } from '../components/errors.ts';
import { useFormat } from '../i18n/format.ts';
import { toast } from '../state/toasts.ts';
import { ConflictsList } from './ConflictsList.tsx';

export function SyncPanel({ status, onClose }: { status: SyncStatus; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('ui.sync.title')} onClose={onClose} className="dialog-wide sync-panel">
      {status.state === 'standalone' ? <ConnectForm /> : <Connected status={status} />}
    </Dialog>
  );
}

function ConnectForm() {
  const { t } = useTranslation();
  const connect = useApiMutation('sync.connect');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<{ url?: string; token?: string; form?: string }>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!url.trim()) next.url = t('sync.url_required');
    else if (!portalOrigin(url)) next.url = t('sync.url_invalid');
    if (!token.trim()) next.token = t('sync.token_required');
    setErrors(next);
    if (next.url || next.token) return;
    connect.mutate({ url, token }, {
      onSuccess: (s) => toast.success(t('ui.sync.connected', { url: s.portalUrl ?? '', user: s.user ?? '' })),
      onError: (err) => {
        const field = err.fields?.url ? 'url' : err.fields?.token ? 'token' : 'form';
        setErrors({ [field]: errorText(t, err) });
      },
    });
  };
  return (
    <form onSubmit={submit} noValidate className="sync-connect">
      <p>{t('ui.sync.standaloneIntro')}</p>
      <Field label={t('ui.sync.url')} help={t('ui.sync.urlHelp')} error={errors.url}>
        {(p) => <input {...p} className="input" type="url" autoComplete="url" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="sync-url" />}
      </Field>
      <Field label={t('ui.sync.token')} help={t('ui.sync.tokenHelp')} error={errors.token}>
        {(p) => <input {...p} className="input" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-testid="sync-token" />}
      </Field>
      {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
      <button type="submit" className="button button-primary" disabled={connect.isPending}>
        {connect.isPending ? t('ui.sync.connecting') : t('ui.sync.connect')}
      </button>
    </form>
  );
}

function Connected({ status }: { status: SyncStatus }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const disconnect = useApiMutation('sync.disconnect');
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const orgs = useApiQuery('org.tree', {});
  const names = new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name]));
  // Queries, not mutations: they must not wait behind a long import holding the writer.
  const run = async (work: () => Promise<unknown>) => {
    setWorking(true);
    try {
      await work();
    } catch (err) {
      toast.error(errorText(t, err));
    } finally {
      setWorking(false);
      void client.invalidateQueries();
    }
  };
  const paused = status.state === 'offline' && !status.lastError;
  return (
    <div className="sync-connected">
      <dl className="sync-facts">
        <dt>{t('ui.sync.portal')}</dt><dd>{status.portalUrl}</dd>
        <dt>{t('ui.sync.user')}</dt><dd>{status.user}</dd>
        <dt>{t('ui.sync.lastSync')}</dt><dd>{status.lastSyncAt ? format.dateTime(status.lastSyncAt) : t('ui.sync.never')}</dd>
      </dl>
      <p className={`sync-state-line sync-${status.state}`} role="status">
        <span className="sync-dot" aria-hidden="true" /> {t(`ui.sync.states.${status.state}`)}
        {status.pending > 0 && <> · {t('ui.sync.pending', { count: status.pending })}</>}
      </p>
      {status.lastError && (
        <div className="form-error sync-error" role="alert">
          <span>{status.lastError}</span>
          {status.nextRetryAt && <span className="muted small"> · {t('ui.sync.nextRetry', { time: format.dateTime(status.nextRetryAt) })}</span>}
        </div>
      )}
      <div className="sync-actions">
        <button type="button" className="button button-primary" disabled={working || paused} onClick={() => void run(() => api.call('sync.now', { wait: true }))} data-testid="sync-now">
          {status.lastError ? t('ui.sync.retry') : t('ui.sync.syncNow')}
        </button>
        <button type="button" className="button" disabled={working} onClick={() => void run(() => api.call('sync.setOffline', { offline: !paused }))} data-testid="sync-offline-toggle">
          {paused ? t('ui.sync.goOnline') : t('ui.sync.workOffline')}
        </button>
        <button type="button" className="button" onClick={() => setConfirming(true)}>{t('ui.sync.disconnect')}</button>
      </div>
      <h3 className="sync-heading">{t('ui.sync.conflicts')}</h3>
      <ConflictsList />
      {status.orgs.length > 0 && (
        <>
          <h3 className="sync-heading">{t('ui.sync.orgs')}</h3>
          <ul className="sync-orgs">
            {status.orgs.map((o) => (
              <li key={o.orgId}>
                <span className={`sync-org-dot sync-org-${o.state}`} aria-hidden="true" />
                <span className="sync-org-name">{names.get(o.orgId) ?? o.orgId}</span>
                <span className="muted small">
                  {t(`ui.sync.orgStates.${o.state}`)}{o.pending > 0 && <> · {t('ui.sync.pending', { count: o.pending })}</>}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('ui.sync.disconnectTitle')}
          body={<>
            <p>{t('ui.sync.disconnectBody')}</p>
            {status.pending > 0 && <p className="form-error">{t('ui.sync.disconnectPending', { count: status.pending })}</p>}
          </>}
          confirmLabel={t('ui.sync.disconnectConfirm')}
          danger
          busy={disconnect.isPending}
          error={disconnect.error ? errorText(t, disconnect.error) : null}
          onConfirm={() => disconnect.mutate({ discardPending: true }, { onSuccess: () => setConfirming(false) })}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
