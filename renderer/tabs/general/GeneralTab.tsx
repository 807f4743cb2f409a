import { useSaveShortcut } from '../../components/use-save-shortcut.ts';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgDetail } from '../../../shared/model/organization.ts';
import type { In } from '../../../shared/contract.ts';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { errorText, issueText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';
import { GeneralFieldsForm } from './GeneralFieldsForm.tsx';
import { GENERAL_FIELD_NAMES, parsedValue, validateDraft, validateField, type GeneralDraft, type GeneralErrors, type GeneralFieldName } from './general-form.ts';
import { OrgFacts } from './OrgFacts.tsx';
import { PartnerField } from './PartnerField.tsx';
import { DangerZone } from './DangerZone.tsx';

const draftOf = (org: OrgDetail): GeneralDraft => ({
  name: org.name, email: org.email, language: org.language, country: org.country, sector: org.sector, description: org.description,
});

interface GeneralTabProps {
  org: OrgDetail;
  onReload(): Promise<unknown>;
}

export function GeneralTab({ org, onReload }: GeneralTabProps) {
  const { t } = useTranslation();
  // The version the edit is based on, and the values it started from.
  const [base, setBase] = useState(() => ({ version: org.version, values: draftOf(org) }));
  const [draft, setDraft] = useState<GeneralDraft>(() => draftOf(org));
  const [errors, setErrors] = useState<GeneralErrors>({});
  const [formError, setFormError] = useState<{ text: string; conflict: boolean } | null>(null);
  const update = useApiMutation('org.updateGeneral');
  const formRef = useRef<HTMLFormElement>(null);

  const changed = GENERAL_FIELD_NAMES.filter((n) => draft[n] !== base.values[n]);
  const dirty = changed.length > 0;

  // Someone else (or another window) changed it while nothing was being edited: follow along.
  if (!dirty && org.version !== base.version && !update.isPending) {
    setBase({ version: org.version, values: draftOf(org) });
    setDraft(draftOf(org));
  }

  const setField = (name: GeneralFieldName, value: string) => {
    setDraft((d) => ({ ...d, [name]: value }));
    if (errors[name]) {
      const issue = validateField(name, value);
      setErrors((e) => ({ ...e, [name]: issue ?? undefined }));
    }
  };

  const focusFirstInvalid = () => {
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const save = useCallback(async () => {
    if (!dirty || update.isPending) return;
    setFormError(null);
    const found = validateDraft(draft);
    // Untouched fields that were already odd in the database do not block saving other fields.
    for (const n of GENERAL_FIELD_NAMES) if (!changed.includes(n)) delete found[n];
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError({ text: t('ui.general.fixErrors'), conflict: false });
      focusFirstInvalid();
      return;
    }
    const changes: In<'org.updateGeneral'>['changes'] = {};
    for (const n of changed) (changes as Record<string, unknown>)[n] = parsedValue(n, draft[n]);
    try {
      const next = await update.mutateAsync({ id: org.id, baseVersion: base.version, changes });
      setBase({ version: next.version, values: draftOf(next) });
      setDraft(draftOf(next));
      setErrors({});
      toast.success(t('ui.general.saved'));
    } catch (e) {
      const issues = fieldIssues(e, 'changes.');
      const mapped: GeneralErrors = {};
      for (const n of GENERAL_FIELD_NAMES) if (issues[n]) mapped[n] = issues[n].key;
      // Keep params (e.g. counts) by translating at render time from the key only when no params.
      setErrors(mapped);
      const conflict = (e as { code?: string }).code === 'CONFLICT';
      setFormError({ text: Object.keys(mapped).length ? t('ui.general.fixErrors') : errorText(t, e), conflict });
      if (Object.keys(mapped).length) focusFirstInvalid();
    }
  }, [dirty, update, draft, changed, org.id, base.version, t]);

  const discard = () => {
    setDraft(base.values);
    setErrors({});
    setFormError(null);
  };

  const reload = async () => {
    await onReload();
    setFormError(null);
    setErrors({});
    setBase({ version: -1, values: base.values }); // forces the follow-along branch on the fresh data
    setDraft(base.values);
  };

  // Ctrl+S / Cmd+S saves from anywhere on the tab.
  useSaveShortcut(save);

  const shownErrors = Object.fromEntries(
    Object.entries(errors).filter(([, v]) => v).map(([k, v]) => [k, issueText(t, v!)]),
  ) as Partial<Record<GeneralFieldName, string>>;

  return (
    <div className="tab-general">
      <form
        ref={formRef}
        className="panel"
        noValidate
        aria-labelledby="general-details-title"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="panel-header">
          <h2 id="general-details-title" className="panel-title">{t('ui.general.details')}</h2>
          <span className={`save-state ${dirty ? 'is-dirty' : ''}`}>{dirty ? t('ui.general.unsaved') : t('ui.general.unchanged')}</span>
        </div>
        {formError && (
          <div className={`alert ${formError.conflict ? 'alert-warning' : 'alert-error'}`} role="alert">
            <span>{formError.text}</span>
            {formError.conflict && (
              <button type="button" className="button button-small" onClick={() => void reload()}>
                {t('ui.general.reload')}
              </button>
            )}
          </div>
        )}
        <GeneralFieldsForm draft={draft} errors={shownErrors} onChange={setField} />
        <div className="form-actions">
          <span className="shortcut-hint">{t('ui.general.shortcut')}</span>
          <button type="button" className="button" onClick={discard} disabled={!dirty || update.isPending}>
            {t('ui.general.discard')}
          </button>
          <button type="submit" className="button button-primary" disabled={!dirty || update.isPending}>
            {update.isPending ? t('ui.general.saving') : t('ui.general.save')}
          </button>
        </div>
      </form>

      <div className="side-column">
        <OrgFacts org={org} />
        {org.type === 'client' && <PartnerField org={org} />}
        <DangerZone org={org} />
      </div>
    </div>
  );
}
