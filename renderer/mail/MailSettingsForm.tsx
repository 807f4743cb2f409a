import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MailSettingsInput, SMTP_SECURITY, type MailSettingsView } from '../../shared/model/auth.ts';
import type { In } from '../../shared/contract.ts';
import { fieldIssues } from '../api/client.ts';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { Field } from '../components/Field.tsx';
import { errorText, issueText } from '../components/errors.ts';
import { useFormat } from '../i18n/format.ts';
import { toast } from '../state/toasts.ts';
import { LoadError } from '../components/LoadError.tsx';

type Security = (typeof SMTP_SECURITY)[number];
const DEFAULT_PORT: Record<Security, number> = { starttls: 587, tls: 465, none: 25 };
const FIELDS = ['host', 'port', 'security', 'username', 'password', 'fromAddress', 'fromName', 'portalBaseUrl'] as const;
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, string>>;

interface Draft {
  host: string;
  port: string;
  security: Security;
  username: string;
  fromAddress: string;
  fromName: string;
  portalBaseUrl: string;
}

const draftOf = (v: MailSettingsView): Draft => ({
  host: v.host, port: String(v.port), security: v.security, username: v.username, fromAddress: v.fromAddress, fromName: v.fromName,
  portalBaseUrl: v.portalBaseUrl,
});

/** The SMTP settings: loads them, then edits a draft. */
export function MailSettingsForm({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const current = useApiQuery('mail.settings.get', {}, { staleTime: 0 });
  if (current.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (current.isError) {
    return (
      <LoadError query={current} />
    );
  }
  return <MailSettingsEditor initial={current.data} onDone={onDone} />;
}

function MailSettingsEditor({ initial, onDone }: { initial: MailSettingsView; onDone(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const formId = useId();
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  // The password is write-only: keep the stored one, type a new one, or remove it.
  const [password, setPassword] = useState<{ mode: 'keep' | 'change' | 'remove'; value: string }>(
    { mode: initial.passwordSet ? 'keep' : 'change', value: '' },
  );
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useApiMutation('mail.settings.set');

  const set = <K extends keyof Draft>(name: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [name]: value }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
  };

  const setSecurity = (security: Security) => {
    setDraft((d) => {
      // A port still at the previous security's usual value follows the new one.
      const port = d.port === String(DEFAULT_PORT[d.security]) || d.port.trim() === '' ? String(DEFAULT_PORT[security]) : d.port;
      return { ...d, security, port };
    });
  };

  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest) document.querySelector<HTMLElement>(`[id="${CSS.escape(formId)}"] [aria-invalid="true"]`)?.focus();
  }, [focusRequest, formId]);
  const focusFirstInvalid = () => setFocusRequest((n) => n + 1);

  const submit = async () => {
    if (save.isPending) return;
    setFormError(null);
    const found: Errors = {};
    if (!draft.host.trim()) found.host = 'ui.mail.errors.hostRequired';
    if (!draft.fromAddress.trim()) found.fromAddress = 'ui.mail.errors.fromRequired';
    if (!/^\d+$/.test(draft.port.trim())) found.port = 'auth.smtp_port_invalid';
    const input: In<'mail.settings.set'> = {
      host: draft.host, port: Number(draft.port.trim() || 0), security: draft.security, username: draft.username,
      fromAddress: draft.fromAddress, fromName: draft.fromName, portalBaseUrl: draft.portalBaseUrl,
      ...(password.mode === 'remove' ? { password: null } : password.mode === 'change' && password.value !== '' ? { password: password.value } : {}),
    };
    const parsed = MailSettingsInput.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const name = String(issue.path[0] ?? '') as FieldName;
        if (FIELDS.includes(name)) found[name] ??= issue.message;
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid();
      return;
    }
    try {
      const next = await save.mutateAsync(input);
      setSaved(next);
      setDraft(draftOf(next));
      setPassword({ mode: next.passwordSet ? 'keep' : 'change', value: '' });
      toast.success(t('ui.mail.saved'));
      onDone();
    } catch (e) {
      const issues = fieldIssues(e);
      const mapped: Errors = {};
      for (const n of FIELDS) if (issues[n]) mapped[n] = issues[n].key;
      setErrors(mapped);
      if (Object.keys(mapped).length) focusFirstInvalid();
      else setFormError(errorText(t, e));
    }
  };

  const shown = (name: FieldName) => (errors[name] ? issueText(t, errors[name]) : null);

  return (
    <form
      id={formId}
      className="mail-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="muted small">{t('ui.mail.help')}</p>
      {!saved.configured && <p className="alert alert-warning">{t('ui.mail.notConfigured')}</p>}
      {formError && <div className="alert alert-error" role="alert">{formError}</div>}

      <fieldset className="form-section">
        <legend>{t('ui.mail.server')}</legend>
        <div className="form-grid mail-grid">
          <Field label={t('ui.mail.host')} error={shown('host')} className="field-span-2" help={t('ui.mail.hostHelp')}>
            {(a) => <input {...a} className="input" value={draft.host} onChange={(e) => set('host', e.target.value)} autoComplete="off" spellCheck={false} placeholder="smtp.example.com" />}
          </Field>
          <Field label={t('ui.mail.port')} error={shown('port')}>
            {(a) => <input {...a} className="input" inputMode="numeric" value={draft.port} onChange={(e) => set('port', e.target.value)} autoComplete="off" />}
          </Field>
          <Field label={t('ui.mail.security')} help={t(`ui.mail.securityHelp.${draft.security}`)} className="field-wide">
            {(a) => (
              <select {...a} className="select" value={draft.security} onChange={(e) => setSecurity(e.target.value as Security)}>
                {SMTP_SECURITY.map((s) => <option key={s} value={s}>{t(`ui.mail.securityOption.${s}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('ui.mail.username')} error={shown('username')} className="field-span-2" help={t('ui.mail.usernameHelp')}>
            {(a) => <input {...a} className="input" value={draft.username} onChange={(e) => set('username', e.target.value)} autoComplete="off" spellCheck={false} />}
          </Field>
          <div className="field">
            <span className="field-label" id={`${formId}-pw-label`}>{t('ui.mail.password')}</span>
            {password.mode === 'keep' ? (
              <div className="secret-row" role="group" aria-labelledby={`${formId}-pw-label`}>
                <span className="secret-set" aria-label={t('ui.mail.passwordSetLabel')}>••••••• {t('ui.mail.passwordSet')}</span>
                <button type="button" className="button button-small" onClick={() => setPassword({ mode: 'change', value: '' })}>{t('ui.mail.passwordChange')}</button>
                <button type="button" className="button button-small button-quiet" onClick={() => setPassword({ mode: 'remove', value: '' })}>{t('ui.mail.passwordRemove')}</button>
              </div>
            ) : password.mode === 'remove' ? (
              <div className="secret-row" role="group" aria-labelledby={`${formId}-pw-label`}>
                <span className="muted">{t('ui.mail.passwordWillBeRemoved')}</span>
                <button type="button" className="button button-small" onClick={() => setPassword({ mode: 'keep', value: '' })}>{t('ui.mail.passwordKeep')}</button>
              </div>
            ) : (
              <div className="secret-row">
                <input
                  type="password"
                  className="input"
                  aria-labelledby={`${formId}-pw-label`}
                  value={password.value}
                  onChange={(e) => setPassword({ mode: 'change', value: e.target.value })}
                  autoComplete="new-password"
                  placeholder={saved.passwordSet ? t('ui.mail.passwordNewPlaceholder') : ''}
                />
                {saved.passwordSet && (
                  <button type="button" className="button button-small" onClick={() => setPassword({ mode: 'keep', value: '' })}>{t('ui.mail.passwordKeep')}</button>
                )}
              </div>
            )}
            <p className="field-help">{t('ui.mail.passwordHelp')}</p>
          </div>
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('ui.mail.sender')}</legend>
        <div className="form-grid">
          <Field label={t('ui.mail.fromAddress')} error={shown('fromAddress')}>
            {(a) => <input {...a} type="email" className="input" value={draft.fromAddress} onChange={(e) => set('fromAddress', e.target.value)} autoComplete="off" spellCheck={false} placeholder="no-reply@example.com" />}
          </Field>
          <Field label={t('ui.mail.fromName')} error={shown('fromName')} help={t('ui.mail.fromNameHelp')}>
            {(a) => <input {...a} className="input" value={draft.fromName} onChange={(e) => set('fromName', e.target.value)} autoComplete="off" />}
          </Field>
          <Field label={t('ui.mail.portalBaseUrl')} error={shown('portalBaseUrl')} help={t('ui.mail.portalBaseUrlHelp')} className="field-wide">
            {(a) => <input {...a} type="url" className="input" value={draft.portalBaseUrl} onChange={(e) => set('portalBaseUrl', e.target.value)} autoComplete="off" spellCheck={false} placeholder="https://portal.example.com" />}
          </Field>
        </div>
      </fieldset>

      <div className="form-actions">
        <span className="shortcut-hint">
          {saved.updatedAt ? t('ui.mail.lastSaved', { when: format.dateTime(saved.updatedAt) }) : t('ui.mail.neverSaved')}
        </span>
        <button type="button" className="button" onClick={onDone}>{t('ui.dialog.cancel')}</button>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? t('ui.mail.saving') : t('ui.mail.save')}
        </button>
      </div>
    </form>
  );
}
