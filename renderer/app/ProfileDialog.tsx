import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../shared/contract.ts';
import { SUPPORTED_UI_LANGUAGES, type UiLanguage } from '../../shared/i18n/index.ts';
import type { Actor } from '../../shared/model/organization.ts';
import { fieldIssues } from '../api/client.ts';
import { useApiMutation } from '../api/hooks.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/Field.tsx';
import { errorText, issueText } from '../components/errors.ts';
import { UI_LANGUAGE_NAMES } from '../i18n/index.ts';
import { useSession } from '../state/session.ts';
import { toast } from '../state/toasts.ts';

type ProfileField = 'name' | 'email';

/** The local operator (recorded in every audit entry) and the interface language. */
export function ProfileDialog({ profile, onClose }: { profile: Actor; onClose(): void }) {
  const { t } = useTranslation();
  const language = useSession((s) => s.language);
  const setLanguage = useSession((s) => s.setLanguage);
  const [draft, setDraft] = useState({ name: profile.name, email: profile.email });
  const [errors, setErrors] = useState<Partial<Record<ProfileField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const update = useApiMutation('profile.update');
  const dirty = draft.name !== profile.name || draft.email !== profile.email;

  const submit = () => {
    setFormError(null);
    const parsed = contract['profile.update'].input.safeParse(draft);
    if (!parsed.success) {
      const found: Partial<Record<ProfileField, string>> = {};
      for (const issue of parsed.error.issues) {
        const k = issue.path[0] as ProfileField;
        found[k] ??= issue.message;
      }
      setErrors(found);
      return;
    }
    setErrors({});
    update.mutate(parsed.data, {
      onSuccess: () => {
        toast.success(t('ui.profile.saved'));
        onClose();
      },
      onError: (e) => {
        const issues = fieldIssues(e);
        const found: Partial<Record<ProfileField, string>> = {};
        for (const k of ['name', 'email'] as const) if (issues[k]) found[k] = issues[k].key;
        setErrors(found);
        if (!Object.keys(found).length) setFormError(errorText(t, e));
      },
    });
  };

  return (
    <Dialog
      title={t('ui.profile.title')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.close')}</button>
          <button type="submit" form="profile-form" className="button button-primary" disabled={!dirty || update.isPending}>
            {t('ui.profile.save')}
          </button>
        </>
      }
    >
      <Field label={t('ui.profile.language')}>
        {(a) => (
          <select {...a} className="select" value={language} onChange={(e) => setLanguage(e.target.value as UiLanguage)}>
            {SUPPORTED_UI_LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>{UI_LANGUAGE_NAMES[l]}</option>
            ))}
          </select>
        )}
      </Field>
      <hr className="divider" />
      <form
        id="profile-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p className="muted small">{t('ui.profile.help')}</p>
        {formError && <div className="alert alert-error" role="alert">{formError}</div>}
        <Field label={t('ui.profile.name')} error={errors.name ? issueText(t, errors.name) : null}>
          {(a) => <input {...a} className="input" value={draft.name} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} autoComplete="name" />}
        </Field>
        <Field label={t('ui.profile.email')} error={errors.email ? issueText(t, errors.email) : null}>
          {(a) => <input {...a} className="input" value={draft.email} onChange={(e) => setDraft((d) => ({ ...d, email: e.target.value }))} autoComplete="email" spellCheck={false} />}
        </Field>
      </form>
    </Dialog>
  );
}
