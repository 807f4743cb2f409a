import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgAuthSettings } from '../../../shared/model/auth.ts';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';

/**
 * Switch email/password sign-in off for a main organization: the person types the organization's
 * name, having read that every credential of the tree is deleted for good.
 */
export function DisableEmailPasswordDialog({ settings, onClose }: { settings: OrgAuthSettings; onClose(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const formId = useId();
  const [typed, setTyped] = useState('');
  const mutation = useApiMutation('auth.setEmailPassword');
  const name = settings.mainOrgName;
  const matches = typed.trim() === name;
  const confirmIssue = fieldIssues(mutation.error).confirm;

  const submit = () => {
    if (!matches || mutation.isPending) return;
    // mutateAsync: the toast must show even if this dialog unmounts meanwhile.
    void mutation.mutateAsync({ orgId: settings.mainOrgId, enabled: false, confirm: typed.trim() }).then(
      (result) => {
        const r = result.removed;
        const head = t('ui.auth.disabledShort', { name });
        toast.success(r
          ? `${head} — ${t('ui.auth.removed', {
            passwords: t('ui.auth.removedPasswords', { count: r.passwords, n: format.number(r.passwords) }),
            authenticators: t('ui.auth.removedAuthenticators', { count: r.authenticators, n: format.number(r.authenticators) }),
          })}`
          : head);
        onClose();
      },
      () => undefined, // shown in the dialog
    );
  };

  return (
    <Dialog
      title={t('ui.auth.disableTitle', { name })}
      onClose={onClose}
      className="dialog-small"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form={formId} className="button button-danger" disabled={!matches || mutation.isPending}>
            {mutation.isPending ? t('ui.auth.disabling') : t('ui.auth.disableConfirm')}
          </button>
        </>
      }
    >
      <form
        id={formId}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p>{t('ui.auth.disableBody', { name })}</p>
        <ul className="consequences">
          <li>{t('ui.auth.disableUsers', { count: settings.users.emailLogin, n: format.number(settings.users.emailLogin) })}</li>
          <li>{t('ui.auth.disablePasswords', { count: settings.users.withPassword, n: format.number(settings.users.withPassword) })}</li>
          <li>{t('ui.auth.disableTwoFactor', { count: settings.users.withTwoFactor, n: format.number(settings.users.withTwoFactor) })}</li>
        </ul>
        <p className="alert alert-warning">{t('ui.auth.disableNoUndo')}</p>
        <p className="confirm-name"><strong>{name}</strong></p>
        <Field
          label={t('ui.auth.disableLabel')}
          error={confirmIssue ? issueText(t, confirmIssue) : null}
        >
          {(a) => <input {...a} className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        {mutation.error && !confirmIssue && <p className="form-error" role="alert">{errorText(t, mutation.error)}</p>}
      </form>
    </Dialog>
  );
}
