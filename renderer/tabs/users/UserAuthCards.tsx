import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserRow } from '../../../shared/model/user.ts';
import type { AuthDetail } from '../../../shared/model/auth.ts';
import type { SsoIdentityView } from '../../../shared/model/identity.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { LoadError } from '../../components/LoadError.tsx';

/** Sign-in failure reasons the core records (in English), as the UI says them. */
const REASONS: Record<string, string> = {
  'wrong password': 'wrongPassword', 'wrong code': 'wrongCode', 'code already used': 'codeReused',
  'wrong recovery code': 'wrongRecovery', 'code expired': 'codeExpired', locked: 'locked',
  // SAML sign-ins refused after the response was verified (main/core/identity/connections.ts).
  replayed: 'samlReplayed', deactivated: 'accountDeactivated',
};

/** How a user signs in: email and password (with two-factor), Microsoft Entra ID, Google. */
export function UserAuthCards({ user }: { user: UserRow }) {
  const { t } = useTranslation();
  const detail = useApiQuery('users.authDetail', { id: user.id }, { staleTime: 0 });
  const sso = useApiQuery('users.ssoIdentities', { id: user.id }, { staleTime: 0 });

  if (detail.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (detail.isError) {
    return (
      <LoadError query={detail} />
    );
  }
  return (
    <div className="auth-cards">
      <EmailPasswordCard user={user} d={detail.data} />
      <div className="auth-cards-row">
        <ProviderCard id="entra" title={t('ui.userAuth.entra')} mark="M" identities={sso.data?.items ?? []} />
        <ProviderCard id="google" title={t('ui.userAuth.google')} mark="G" identities={sso.data?.items ?? []} />
      </div>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <div><dt>{label}</dt><dd>{children}</dd></div>;
}

function EmailPasswordCard({ user, d }: { user: UserRow; d: AuthDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  const resend = useApiMutation('users.resendReset');
  const reset = useApiMutation('users.resetTwoFactor');
  const emailCode = useApiMutation('users.setEmailCode');
  const [confirmReset, setConfirmReset] = useState(false);
  const when = (iso: string | null, never = t('ui.userAuth.never')) =>
    iso ? <time dateTime={iso}>{format.dateTime(iso)}</time> : <span className="muted">{never}</span>;

  const usable = d.emailLoginEnabled && d.orgEmailPasswordEnabled;
  const state = !d.orgEmailPasswordEnabled ? 'orgOff' : !d.emailLoginEnabled ? 'userOff' : 'on';
  const resendReason = !d.orgEmailPasswordEnabled ? t('ui.userAuth.orgOff') : !d.emailLoginEnabled ? t('ui.userAuth.userOff') : null;
  const tf = d.twoFactor;

  const onResend = () => {
    resend.mutate({ ids: [user.id] }, {
      onSuccess: () => toast.success(t(d.password.set ? 'ui.userAuth.resetSent' : 'ui.userAuth.welcomeSent', { email: user.email })),
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  return (
    <section className="auth-card" aria-labelledby={`auth-card-email-${user.id}`}>
      <header className="auth-card-header">
        <span className="provider-mark provider-email" aria-hidden="true">@</span>
        <h3 id={`auth-card-email-${user.id}`} className="auth-card-title">{t('ui.userAuth.emailPassword')}</h3>
        <span className={`badge state-badge ${state === 'on' ? 'is-on' : 'is-off'}`}>
          <span className="status-dot" aria-hidden="true" />
          {t(`ui.userAuth.state.${state}`)}
        </span>
      </header>
      {resendReason && <p className="muted small">{resendReason}</p>}

      <dl className="facts auth-facts">
        <Fact label={t('ui.userAuth.password')}>
          {d.password.set
            ? <>{t('ui.userAuth.passwordSet')} <span className="muted">· {t('ui.userAuth.changed')} {when(d.password.changedAt)}</span></>
            : <span className="muted">{t('ui.userAuth.passwordNotSet')}</span>}
        </Fact>
        {d.pendingLink && (
          <Fact label={t('ui.userAuth.pendingLink')}>
            {t(`ui.userAuth.linkPurpose.${d.pendingLink.purpose}`)}{' '}
            <span className="muted">· {t('ui.userAuth.sent')} {when(d.pendingLink.createdAt)} · {t('ui.userAuth.expires')} {when(d.pendingLink.expiresAt)}</span>
          </Fact>
        )}
        <Fact label={t('ui.userAuth.lastLogin')}>{when(d.lastLoginAt)}</Fact>
        <Fact label={t('ui.userAuth.loginCount')}>{format.number(d.loginCount)}</Fact>
        <Fact label={t('ui.userAuth.lastIp')}>{d.lastIp ? <span className="mono">{d.lastIp}</span> : <span className="muted">—</span>}</Fact>
        {(d.failedAttempts > 0 || d.lockedUntil) && (
          <Fact label={t('ui.userAuth.failed')}>
            {format.number(d.failedAttempts)}
            {d.lockedUntil && <span className="badge badge-warn">{t('ui.userAuth.lockedUntil')} {format.dateTime(d.lockedUntil)}</span>}
          </Fact>
        )}
      </dl>

      <div className="auth-subsection">
        <div className="auth-subsection-header">
          <h4 className="auth-subtitle">{t('ui.userAuth.twoFactor')}</h4>
          <span className={`badge tf-badge tf-${tf.status}`}>{t(`ui.userAuth.tf.${tf.status}`)}</span>
        </div>
        <table className="data-table methods-table">
          <thead>
            <tr>
              <th scope="col">{t('ui.userAuth.method')}</th>
              <th scope="col">{t('ui.userAuth.added')}</th>
              <th scope="col">{t('ui.userAuth.lastUsed')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('ui.userAuth.authenticator')}</th>
              <td>{tf.status === 'enrolled' ? when(tf.enrolledAt) : <span className="muted">{t(`ui.userAuth.tf.${tf.status}`)}</span>}</td>
              <td>{tf.status === 'enrolled' ? when(tf.lastUsedAt) : <span className="muted">—</span>}</td>
            </tr>
            <tr>
              <th scope="row">{t('ui.userAuth.recoveryCode')}</th>
              <td>{d.recoveryCode ? when(d.recoveryCode.createdAt) : <span className="muted">{t('ui.userAuth.none')}</span>}</td>
              <td>{d.recoveryCode ? when(d.recoveryCode.usedAt, t('ui.userAuth.notUsed')) : <span className="muted">—</span>}</td>
            </tr>
          </tbody>
        </table>
      </div>

      <div className="auth-subsection auth-email-code">
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={d.emailCodeEnabled}
            disabled={emailCode.isPending}
            aria-describedby={`auth-email-code-help-${user.id}`}
            onChange={(e) => {
              const enabled = e.target.checked;
              emailCode.mutate({ ids: [user.id], enabled }, {
                onSuccess: () => toast.success(t(enabled ? 'ui.userAuth.emailCodeOn' : 'ui.userAuth.emailCodeOff', { name: user.name })),
                onError: (err) => toast.error(errorText(t, err)),
              });
            }}
          />
          <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
          <span>{t('ui.userAuth.emailCode')}</span>
        </label>
        <p id={`auth-email-code-help-${user.id}`} className="field-help">{t('ui.userAuth.emailCodeHelp')}</p>
      </div>

      <div className="auth-card-actions">
        <button
          type="button"
          className="button button-small"
          disabled={!usable || resend.isPending}
          title={resendReason ?? undefined}
          onClick={onResend}
        >
          {t('ui.userAuth.resend')}
        </button>
        <button
          type="button"
          className="button button-small button-ghost-danger"
          disabled={tf.status === 'none' || reset.isPending}
          title={tf.status === 'none' ? t('ui.userAuth.regenerateNothing') : t('ui.userAuth.regenerateHelp')}
          onClick={() => setConfirmReset(true)}
        >
          {t('ui.userAuth.regenerate')}
        </button>
      </div>

      {d.recentSignIns.length > 0 && (
        <details className="auth-history">
          <summary>{t('ui.userAuth.recent', { count: d.recentSignIns.length, n: format.number(d.recentSignIns.length) })}</summary>
          <ul className="signin-list">
            {d.recentSignIns.map((s, i) => (
              <li key={`${s.at}-${i}`} className={s.success ? 'is-ok' : 'is-failed'}>
                <span className="signin-mark" aria-hidden="true">{s.success ? '✓' : '✕'}</span>
                <span className="signin-what">
                  {t(`ui.userAuth.methods.${s.method}`)}
                  {!s.success && <> — {s.reason ? t(`ui.userAuth.reasons.${REASONS[s.reason] ?? 'other'}`, { defaultValue: s.reason }) : t('ui.userAuth.reasons.other')}</>}
                  <span className="visually-hidden">{s.success ? t('ui.userAuth.succeeded') : t('ui.userAuth.refused')}</span>
                </span>
                <span className="muted small"><time dateTime={s.at}>{format.dateTime(s.at)}</time> · <span className="mono">{s.ip || '—'}</span></span>
              </li>
            ))}
          </ul>
        </details>
      )}

      {confirmReset && (
        <ConfirmDialog
          title={t('ui.userAuth.regenerateTitle', { name: user.name })}
          body={t('ui.userAuth.regenerateBody', { name: user.name })}
          confirmLabel={t('ui.userAuth.regenerateConfirm')}
          danger
          busy={reset.isPending}
          error={reset.error ? errorText(t, reset.error) : null}
          onCancel={() => setConfirmReset(false)}
          onConfirm={() => {
            reset.mutate({ ids: [user.id] }, {
              onSuccess: () => {
                setConfirmReset(false);
                toast.success(t('ui.userAuth.regenerated', { name: user.name }));
              },
            });
          }}
        />
      )}
    </section>
  );
}

/**
 * Sign-ins through an identity provider (SAML, recorded by the Portal's ACS): Microsoft Entra ID
 * shows role and phone from its claims too. Several connections of one provider add up; the
 * latest sign-in's facts are shown.
 */
function ProviderCard({ id, title, mark, identities }: { id: 'entra' | 'google'; title: string; mark: string; identities: SsoIdentityView[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const mine = identities.filter((i) => i.provider === id)
    .sort((a, b) => (b.lastLoginAt ?? '').localeCompare(a.lastLoginAt ?? ''));
  const latest = mine[0];
  if (!latest) {
    return (
      <section className="auth-card auth-card-empty" aria-labelledby={`auth-card-${id}`} data-testid={`auth-card-${id}`}>
        <header className="auth-card-header">
          <span className={`provider-mark provider-${id}`} aria-hidden="true">{mark}</span>
          <h3 id={`auth-card-${id}`} className="auth-card-title">{title}</h3>
          <span className="badge state-badge is-off"><span className="status-dot" aria-hidden="true" />{t('ui.userAuth.notConnected')}</span>
        </header>
        <p className="muted small">{t(`ui.userAuth.${id}Empty`)}</p>
      </section>
    );
  }
  const count = mine.reduce((n, i) => n + i.loginCount, 0);
  const dash = <span className="muted">—</span>;
  return (
    <section className="auth-card" aria-labelledby={`auth-card-${id}`} data-testid={`auth-card-${id}`}>
      <header className="auth-card-header">
        <span className={`provider-mark provider-${id}`} aria-hidden="true">{mark}</span>
        <h3 id={`auth-card-${id}`} className="auth-card-title">{title}</h3>
        <span className="badge state-badge is-on"><span className="status-dot" aria-hidden="true" />{t('ui.ssoCard.connected')}</span>
      </header>
      <p className="muted small">{t('ui.ssoCard.via', { name: latest.connectionName, subject: latest.subject })}</p>
      <dl className="facts auth-facts">
        {id === 'entra' && <Fact label={t('ui.ssoCard.role')}>{latest.role ?? dash}</Fact>}
        {id === 'entra' && <Fact label={t('ui.ssoCard.phone')}>{latest.phone ?? dash}</Fact>}
        <Fact label={t('ui.userAuth.lastLogin')}>
          {latest.lastLoginAt ? <time dateTime={latest.lastLoginAt}>{format.dateTime(latest.lastLoginAt)}</time> : <span className="muted">{t('ui.userAuth.never')}</span>}
        </Fact>
        <Fact label={t('ui.userAuth.loginCount')}>{format.number(count)}</Fact>
        <Fact label={t('ui.userAuth.lastIp')}>{latest.lastIp ? <span className="mono">{latest.lastIp}</span> : dash}</Fact>
      </dl>
    </section>
  );
}
