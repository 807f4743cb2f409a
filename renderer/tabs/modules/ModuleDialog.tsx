import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalModule } from '../../../shared/model/org-settings.ts';
import { MODULE_VISIBILITIES, moduleUrlProblem, type ModuleVisibility } from '../../../shared/rules/org-settings.ts';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';

/** A module's detail (label, URL, visibility), or a new custom module. */
export function ModuleDialog({ orgId, module, onClose }: { orgId: string; module: PortalModule | null; onClose(): void }) {
  const { t } = useTranslation();
  const formId = useId();
  const visibilityId = useId();
  const create = useApiMutation('modules.create');
  const update = useApiMutation('modules.update');
  const mutation = module ? update : create;
  const [label, setLabel] = useState(module?.label ?? '');
  const [url, setUrl] = useState(module?.url ?? 'https://');
  const [visibility, setVisibility] = useState<ModuleVisibility>(module?.visibility ?? 'featured');
  const [urlTouched, setUrlTouched] = useState(false);
  const errors = fieldIssues(mutation.error);
  const urlProblem = urlTouched ? moduleUrlProblem(url) : null;
  const other = mutation.error && Object.keys(errors).length === 0 ? errorText(t, mutation.error) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const done = (key: string) => () => {
      toast.success(t(key, { name: label.trim() }));
      onClose();
    };
    if (module) update.mutate({ id: module.id, baseVersion: module.version, label, url, visibility }, { onSuccess: done('ui.modules.updated') });
    else create.mutate({ orgId, label, url, visibility }, { onSuccess: done('ui.modules.created') });
  };

  return (
    <Dialog
      title={module ? t('ui.modules.detailTitle', { name: module.label }) : t('ui.modules.newTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form={formId} className="button button-primary" disabled={mutation.isPending}>
            {module ? t('ui.modules.save') : t('ui.modules.create')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <Field label={t('ui.modules.label')} error={errors.label ? issueText(t, errors.label) : null}>
          {(a) => <input {...a} className="input" value={label} maxLength={60} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
        <Field
          label={t('ui.modules.url')}
          help={t('ui.modules.urlHelp')}
          error={urlProblem ? t(urlProblem) : errors.url ? issueText(t, errors.url) : null}
        >
          {(a) => (
            <input {...a} className="input" type="url" inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} onBlur={() => setUrlTouched(true)} />
          )}
        </Field>
        <fieldset className="org-settings-radios" aria-describedby={errors.visibility ? `${visibilityId}-error` : undefined}>
          <legend className="field-label">{t('ui.modules.visibility')}</legend>
          {MODULE_VISIBILITIES.map((v) => (
            <label key={v} className="org-settings-radio">
              <input type="radio" name={visibilityId} value={v} checked={visibility === v} onChange={() => setVisibility(v)} />
              <span>{t(`ui.modules.${v}`)}</span>
              <span className="muted small">{t(`ui.modules.${v}Help`)}</span>
            </label>
          ))}
          {errors.visibility && <p id={`${visibilityId}-error`} className="field-error">{issueText(t, errors.visibility)}</p>}
        </fieldset>
        {other && <p className="form-error" role="alert">{other}</p>}
      </form>
    </Dialog>
  );
}
