/** Connect to a Portal, see and drive the sync, review conflicts and refused changes. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../shared/model/sync.ts';
import { portalOrigin } from '../../shared/rules/sync.ts';
import { useQueryClient } from '@tanstack/react-query';
import { api, type ApiError } from '../api/client.ts';
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
  // A recovery code used to sign in is spent: the Portal's replacement is shown here, once.
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);
  return (
    <Dialog title={t('ui.sync.title')} onClose={onClose} className="dialog-wide sync-panel">
      {recoveryCode && (
        <div className="sync-recovery" role="alert" data-testid="sync-new-recovery">
          <strong>{t('ui.sync.newRecoveryTitle')}</strong>
          <p>{t('ui.sync.newRecoveryBody')}</p>
          <code>{recoveryCode}</code>
        </div>
      )}
      {status.state === 'standalone'
        ? <ConnectForm onRecoveryCode={setRecoveryCode} />
        : <Connected status={status} onRecoveryCode={setRecoveryCode} />}
    </Dialog>
  );
}

type Method = 'session' | 'token';

/**
 * Connect with a Portal account (email, password, then the second factor when the Portal asks) or
 * with a console token / API key. With `portalUrl` it resumes a console the Portal signed out: same
 * Portal, same user, the outbox kept.
 */
function ConnectForm({ portalUrl, preferred, onRecoveryCode }: { portalUrl?: string; preferred?: Method; onRecoveryCode(code: string | null): void }) {
  const { t } = useTranslation();
  const connect = useApiMutation('sync.connect');
  const signIn = useApiMutation('sync.signIn');
  const [method, setMethod] = useState<Method>(preferred ?? 'session');
  const [url, setUrl] = useState(portalUrl ?? '');
  const [token, setToken] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // The code field appears once the Portal says the account has two-factor sign-in.
  const [askCode, setAskCode] = useState(false);
  type Errors = { url?: string; token?: string; email?: string; password?: string; code?: string; form?: string };
  const [errors, setErrors] = useState<Errors>({});
  const busy = connect.isPending || signIn.isPending;
  const onError = (err: ApiError) => {
    const fields = err.fields ?? {};
    if (fields.code) setAskCode(true);
    const field = (['url', 'token', 'email', 'password', 'code'] as const).find((f) => fields[f]) ?? 'form';
    setErrors({ [field]: errorText(t, err) });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = {};
    if (!url.trim()) next.url = t('sync.url_required');
    else if (!portalOrigin(url)) next.url = t('sync.url_invalid');
    if (method === 'token' && !token.trim()) next.token = t('sync.token_required');
    if (method === 'session' && !email.trim()) next.email = t('sync.email_required');
    if (method === 'session' && !password) next.password = t('sync.password_required');
    if (method === 'session' && askCode && !code.trim()) next.code = t('sync.two_factor_required');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const done = (s: SyncStatus) => toast.success(t('ui.sync.connected', { url: s.portalUrl ?? '', user: s.user ?? '' }));
    if (method === 'token') {
      connect.mutate({ url, token }, { onSuccess: done, onError });
      return;
    }
    signIn.mutate({ url, email, password, ...(askCode && code.trim() ? { code } : {}) }, {
      onSuccess: (s) => {
        onRecoveryCode(s.newRecoveryCode);
        done(s);
      },
      onError,
    });
  };
  return (
    <form onSubmit={submit} noValidate className="sync-connect">
      <p>{portalUrl ? t(method === 'session' ? 'ui.sync.signedOutIntro' : 'ui.sync.refusedIntro') : t('ui.sync.standaloneIntro')}</p>
      <fieldset className="sync-method">
        <legend>{t('ui.sync.method')}</legend>
        {(['session', 'token'] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name="sync-method" value={m} checked={method === m} onChange={() => { setMethod(m); setErrors({}); }} />
            {t(m === 'session' ? 'ui.sync.methodAccount' : 'ui.sync.methodToken')}
          </label>
        ))}
      </fieldset>
      <Field label={t('ui.sync.url')} help={t('ui.sync.urlHelp')} error={errors.url}>
        {(p) => <input {...p} className="input" type="url" autoComplete="url" value={url} readOnly={Boolean(portalUrl)} onChange={(e) => setUrl(e.target.value)} data-testid="sync-url" />}
      </Field>
      {method === 'token' ? (
        <Field label={t('ui.sync.token')} help={t('ui.sync.tokenHelp')} error={errors.token}>
          {(p) => <input {...p} className="input" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-testid="sync-token" />}
        </Field>
      ) : (
        <>
          <Field label={t('ui.sync.email')} error={errors.email}>
            {(p) => <input {...p} className="input" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="sync-email" />}
          </Field>
          <Field label={t('ui.sync.password')} error={errors.password}>
            {(p) => <input {...p} className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="sync-password" />}
          </Field>
          {askCode && (
            <Field label={t('ui.sync.code')} help={t('ui.sync.codeHelp')} error={errors.code}>
              {(p) => <input {...p} className="input" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} data-testid="sync-code" />}
            </Field>
          )}
        </>
      )}
      {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
      <button type="submit" className="button button-primary" disabled={busy}>
        {method === 'token'
          ? (connect.isPending ? t('ui.sync.connecting') : t('ui.sync.connect'))
          : (signIn.isPending ? t('ui.sync.signingIn') : t('ui.sync.signIn'))}
      </button>
    </form>
  );
}

function Connected({ status, onRecoveryCode }: { status: SyncStatus; onRecoveryCode(code: string | null): void }) {
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
      {status.state === 'signed_out' && status.portalUrl && (
        <ConnectForm portalUrl={status.portalUrl} preferred={status.auth ?? 'session'} onRecoveryCode={onRecoveryCode} />
      )}
      {status.state === 'incompatible' && (
        <p className="form-error" role="alert" data-testid="sync-update-needed">
          {t(status.updateNeeded === 'portal' ? 'ui.sync.updatePortalBody' : 'ui.sync.updateConsoleBody')}
        </p>
      )}
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
