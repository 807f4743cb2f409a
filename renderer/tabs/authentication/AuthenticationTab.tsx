import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { errorText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { usePanels } from '../../state/session.ts';
import { toast } from '../../state/toasts.ts';
import { DisableEmailPasswordDialog } from './DisableEmailPasswordDialog.tsx';
import { InheritedNotice } from '../../components/InheritedNotice.tsx';
import { LoadError } from '../../components/LoadError.tsx';

/**
 * The organization's email/password switch. It lives on the main organization (the client, or the
 * partner for its own staff); a sub-organization shows the main organization's setting read-only.
 */
export function AuthenticationTab({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const settings = useApiQuery('auth.orgSettings', { orgId });
  const mail = useApiQuery('mail.settings.get', {});
  const setEmailPassword = useApiMutation('auth.setEmailPassword');
  const openMail = usePanels((s) => s.openMail);
  const [disabling, setDisabling] = useState(false);

  if (settings.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (settings.isError) {
    return (
      <LoadError query={settings} />
    );
  }
  const s = settings.data;
  const on = s.emailPasswordEnabled;

  const enable = () => {
    setEmailPassword.mutate({ orgId: s.mainOrgId, enabled: true }, {
      onSuccess: () => toast.success(t('ui.auth.enabled', { name: s.mainOrgName })),
      onError: (e) => toast.error(errorText(t, e)),
    });
  };

  return (
    <div className="tab-auth">
      <div className="auth-main">
        <section className="panel" aria-labelledby="auth-email-title">
          <div className="panel-header">
            <h2 id="auth-email-title" className="panel-title">{t('ui.auth.emailPassword')}</h2>
            <span className={`badge state-badge ${on ? 'is-on' : 'is-off'}`} data-testid="auth-state">
              <span className="status-dot" aria-hidden="true" />
              {on ? t('ui.auth.on') : t('ui.auth.off')}
            </span>
          </div>
          <p className="muted">{on ? t('ui.auth.onHelp') : t('ui.auth.offHelp')}</p>

          {s.inherited ? (
            <InheritedNotice text={t('ui.auth.inherited', { name: s.mainOrgName })} goLabel={t('ui.auth.goToMain', { name: s.mainOrgName })} mainOrgId={s.mainOrgId} tab="authentication" />
          ) : (
            <div className="auth-actions">
              {on ? (
                <button type="button" className="button button-danger" onClick={() => setDisabling(true)}>
                  {t('ui.auth.disable')}
                </button>
              ) : (
                <button type="button" className="button button-primary" disabled={setEmailPassword.isPending} onClick={enable}>
                  {t('ui.auth.enable')}
                </button>
              )}
              <span className="muted small">{t('ui.auth.scope', { name: s.mainOrgName })}</span>
            </div>
          )}
        </section>

        <section className="panel" aria-labelledby="auth-counts-title">
          <h2 id="auth-counts-title" className="panel-title">{t('ui.auth.countsTitle', { name: s.mainOrgName })}</h2>
          <dl className="stat-cards">
            <div className="stat-card">
              <dt>{t('ui.auth.countEmailLogin')}</dt>
              <dd>{format.number(s.users.emailLogin)}</dd>
            </div>
            <div className="stat-card">
              <dt>{t('ui.auth.countPassword')}</dt>
              <dd>{format.number(s.users.withPassword)}</dd>
            </div>
            <div className="stat-card">
              <dt>{t('ui.auth.countTwoFactor')}</dt>
              <dd>{format.number(s.users.withTwoFactor)}</dd>
            </div>
          </dl>
          <p className="muted small auth-counts-help">{t('ui.auth.countsHelp')}</p>
        </section>
      </div>

      <aside className="side-column">
        <section className="panel" aria-labelledby="auth-mail-title">
          <h2 id="auth-mail-title" className="panel-title">{t('ui.mail.title')}</h2>
          {mail.data && !mail.data.configured ? (
            <p className="alert alert-warning">{t('ui.auth.mailNotConfigured')}</p>
          ) : mail.data ? (
            <p className="muted">{t('ui.auth.mailConfigured', { host: mail.data.host, from: mail.data.fromAddress })}</p>
          ) : null}
          <div className="auth-mail-actions">
            <button type="button" className="button" onClick={() => openMail('settings')}>{t('ui.mail.open')}</button>
            <button type="button" className="button" onClick={() => openMail('outbox')}>{t('ui.mail.outbox')}</button>
          </div>
        </section>
        <section className="panel" aria-labelledby="auth-how-title">
          <h2 id="auth-how-title" className="panel-title">{t('ui.auth.howTitle')}</h2>
          <ol className="auth-steps">
            <li>{t('ui.auth.how1')}</li>
            <li>{t('ui.auth.how2')}</li>
            <li>{t('ui.auth.how3')}</li>
          </ol>
        </section>
      </aside>

      {disabling && (
        <DisableEmailPasswordDialog
          settings={s}
          onClose={() => setDisabling(false)}
        />
      )}
    </div>
  );
}
