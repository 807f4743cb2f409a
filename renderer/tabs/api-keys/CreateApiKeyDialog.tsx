import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_KEY_DURATIONS, NewApiKey, type ApiKeyDuration } from '../../../shared/model/api-keys.ts';
import { ROLE_IDS } from '../../../shared/rules/api-keys.ts';
import type { FieldIssue } from '../../../shared/model/errors.ts';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';

type FieldName = 'name' | 'roleId' | 'expiry';
type Errors = Partial<Record<FieldName, FieldIssue>>;

/** Tomorrow, as the date input wants it (the earliest date a key may expire on). */
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** Create a key, then show it once with a Copy button: it is never shown again. */
export function CreateApiKeyDialog({ orgId, onClose }: { orgId: string; onClose(): void }) {
  const { t } = useTranslation();
  const formId = useId();
  const roles = useApiQuery('roles.list', {}, { staleTime: 5 * 60_000 });
  const create = useApiMutation('apiKeys.create');
  const [name, setName] = useState('');
  const [roleId, setRoleId] = useState<string>(ROLE_IDS.readOnly);
  const [duration, setDuration] = useState<ApiKeyDuration | 'date'>(90);
  const [date, setDate] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ secret: string; keptInKeychain: boolean; name: string } | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);

  const focusInvalid = () => requestAnimationFrame(() =>
    document.querySelector<HTMLElement>(`[id="${CSS.escape(formId)}"] [aria-invalid="true"]`)?.focus());

  const submit = async () => {
    if (create.isPending) return;
    setFormError(null);
    const input = { orgId, name, roleId, expiry: duration === 'date' ? { kind: 'date' as const, date } : { kind: 'days' as const, days: duration } };
    const parsed = NewApiKey.safeParse(input);
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '') as FieldName;
        found[field] ??= { key: issue.message };
      }
      setErrors(found);
      focusInvalid();
      return;
    }
    setErrors({});
    try {
      const result = await create.mutateAsync(parsed.data);
      setCreated({ secret: result.secret, keptInKeychain: result.keptInKeychain, name: result.key.name });
    } catch (e) {
      const issues = fieldIssues(e);
      const mapped: Errors = {};
      for (const [path, issue] of Object.entries(issues)) {
        const field = path.split('.')[0] as FieldName;
        if (field === 'name' || field === 'roleId' || field === 'expiry') mapped[field] ??= issue;
      }
      setErrors(mapped);
      if (Object.keys(mapped).length) focusInvalid();
      else setFormError(errorText(t, e));
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      toast.success(t('ui.apiKeys.secret.copied'));
    } catch {
      secretRef.current?.select();
      toast.error(t('ui.apiKeys.secret.copyFailed'));
    }
  };

  if (created) {
    return (
      <Dialog
        title={t('ui.apiKeys.secret.title')}
        onClose={onClose}
        initialFocus="[data-copy]"
        footer={<button type="button" className="button button-primary" onClick={onClose}>{t('ui.apiKeys.secret.done')}</button>}
      >
        <div className="alert alert-warning" role="note">{t('ui.apiKeys.secret.once')}</div>
        <Field label={t('ui.apiKeys.secret.label')} help={t('ui.apiKeys.secret.usage')}>
          {(p) => (
            <div className="api-key-secret">
              <input {...p} ref={secretRef} className="input mono" readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} />
              <button type="button" className="button" data-copy onClick={() => void copy()}>{t('ui.apiKeys.secret.copy')}</button>
            </div>
          )}
        </Field>
        <p className="muted small">{created.keptInKeychain ? t('ui.apiKeys.secret.kept') : t('ui.apiKeys.secret.notKept')}</p>
      </Dialog>
    );
  }

  const shown = (field: FieldName) => (errors[field] ? issueText(t, errors[field]) : null);
  return (
    <Dialog
      title={t('ui.apiKeys.dialog.title')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form={formId} className="button button-primary" disabled={create.isPending}>
            {create.isPending ? t('ui.apiKeys.dialog.creating') : t('ui.apiKeys.dialog.create')}
          </button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Field label={t('ui.apiKeys.dialog.name')} error={shown('name')} help={t('ui.apiKeys.dialog.nameHelp')}>
          {(p) => (
            <input {...p} className="input" value={name} maxLength={120} autoComplete="off"
              onChange={(e) => { setName(e.target.value); setErrors((x) => ({ ...x, name: undefined })); }} />
          )}
        </Field>
        <Field label={t('ui.apiKeys.dialog.role')} error={shown('roleId')} help={t('ui.apiKeys.dialog.roleHelp')}>
          {(p) => (
            <select {...p} className="select" value={roleId} onChange={(e) => { setRoleId(e.target.value); setErrors((x) => ({ ...x, roleId: undefined })); }}>
              {(roles.data?.items ?? []).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
            </select>
          )}
        </Field>
        <fieldset className="api-key-duration" aria-invalid={Boolean(errors.expiry)}>
          <legend className="field-label">{t('ui.apiKeys.dialog.duration')}</legend>
          {API_KEY_DURATIONS.map((d) => (
            <label key={d} className="api-key-radio">
              <input type="radio" name={`${formId}-duration`} checked={duration === d} onChange={() => { setDuration(d); setErrors((x) => ({ ...x, expiry: undefined })); }} />
              {t('ui.apiKeys.dialog.days', { count: d })}
            </label>
          ))}
          <label className="api-key-radio">
            <input type="radio" name={`${formId}-duration`} checked={duration === 'date'} onChange={() => setDuration('date')} />
            {t('ui.apiKeys.dialog.onDate')}
          </label>
        </fieldset>
        {duration === 'date' && (
          <Field label={t('ui.apiKeys.dialog.date')} error={shown('expiry')}>
            {(p) => (
              <input {...p} type="date" className="input" min={tomorrow()} value={date}
                onChange={(e) => { setDate(e.target.value); setErrors((x) => ({ ...x, expiry: undefined })); }} />
            )}
          </Field>
        )}
        {duration !== 'date' && errors.expiry && <p className="field-error">{shown('expiry')}</p>}
        {formError && <p className="form-error" role="alert">{formError}</p>}
      </form>
    </Dialog>
  );
}
