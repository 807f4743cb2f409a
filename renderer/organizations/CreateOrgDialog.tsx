import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_TYPES, type OrgType } from '../../shared/model/organization.ts';
import { allowedParentTypes } from '../../shared/rules/hierarchy.ts';
import { fieldIssues } from '../api/client.ts';
import { useApiMutation } from '../api/hooks.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/Field.tsx';
import { errorText, issueText } from '../components/errors.ts';
import { useFormat } from '../i18n/format.ts';
import { useSession } from '../state/session.ts';
import { toast } from '../state/toasts.ts';
import { GeneralFieldsForm } from '../tabs/general/GeneralFieldsForm.tsx';
import { GENERAL_FIELD_NAMES, emptyDraft, parsedValue, validateDraft, validateField, type GeneralDraft, type GeneralErrors, type GeneralFieldName } from '../tabs/general/general-form.ts';
import type { OrgIndex } from './org-index.ts';

interface CreateOrgDialogProps {
  index: OrgIndex | undefined;
  initialType: OrgType;
  initialParentId: string | null;
  /** Only partners can be created (empty state). */
  lockType?: boolean;
  onClose(): void;
}

export function CreateOrgDialog({ index, initialType, initialParentId, lockType, onClose }: CreateOrgDialogProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const selectOrg = useSession((s) => s.selectOrg);
  const uiLanguage = useSession((s) => s.language);
  const [type, setType] = useState<OrgType>(initialType);
  const [parentId, setParentId] = useState<string>(initialParentId ?? '');
  const [draft, setDraft] = useState<GeneralDraft>(() => ({ ...emptyDraft(), language: uiLanguage, sector: 'other' }));
  const [errors, setErrors] = useState<GeneralErrors & { parentId?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const create = useApiMutation('org.create');

  const lang = format.lang;
  const parents = useMemo(() => {
    if (!index) return [];
    const accepted = allowedParentTypes(type).filter((x): x is OrgType => x !== null);
    const out: { id: string; label: string }[] = [];
    for (const node of index.byId.values()) {
      if (!accepted.includes(node.type)) continue;
      const path = index.parentPath(node.id);
      out.push({ id: node.id, label: [...path, node.name].join(' / ') });
    }
    return out.sort((a, b) => a.label.localeCompare(b.label, lang));
  }, [index, type, lang]);

  const effectiveParent = type === 'partner' ? '' : parents.some((p) => p.id === parentId) ? parentId : (parents[0]?.id ?? '');

  const setField = (name: GeneralFieldName, value: string) => {
    setDraft((d) => ({ ...d, [name]: value }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: validateField(name, value) ?? undefined }));
  };

  const submit = () => {
    setFormError(null);
    const found: GeneralErrors & { parentId?: string } = validateDraft(draft);
    if (type !== 'partner' && !effectiveParent) found.parentId = type === 'client' ? 'org.client_needs_partner' : 'org.suborg_needs_client';
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.dialog [aria-invalid="true"]')?.focus());
      return;
    }
    const values = Object.fromEntries(GENERAL_FIELD_NAMES.map((n) => [n, parsedValue(n, draft[n])])) as Record<GeneralFieldName, string>;
    void create.mutateAsync({
        type,
        parentId: type === 'partner' ? null : effectiveParent,
        name: values.name, email: values.email, language: values.language, country: values.country,
        sector: values.sector as never, description: values.description,
      }).then(
      ({ id }) => {
        toast.success(t('ui.create.created', { name: values.name }));
        selectOrg(id);
        onClose();
      },
      (e: unknown) => {
        const issues = fieldIssues(e);
        const mapped: GeneralErrors & { parentId?: string } = {};
        for (const [k, issue] of Object.entries(issues)) if (k === 'parentId' || (GENERAL_FIELD_NAMES as readonly string[]).includes(k)) (mapped as Record<string, string>)[k] = issue.key;
        setErrors(mapped);
        if (!Object.keys(mapped).length) setFormError(errorText(t, e));
      },
    );
  };

  const shown = Object.fromEntries(Object.entries(errors).filter(([, v]) => v).map(([k, v]) => [k, issueText(t, v!)])) as Record<string, string>;

  return (
    <Dialog
      title={t('ui.create.title')}
      onClose={onClose}
      className="dialog-wide"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form="create-org-form" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? t('ui.create.creating') : t('ui.create.submit')}
          </button>
        </>
      }
    >
      <form
        id="create-org-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {formError && <div className="alert alert-error" role="alert">{formError}</div>}
        <div className="form-grid">
          <Field label={t('ui.create.type')} help={t(`ui.create.typeHelp.${type}`)}>
            {(a) => (
              <select {...a} className="select" value={type} disabled={lockType} onChange={(e) => setType(e.target.value as OrgType)}>
                {ORG_TYPES.map((ty) => (
                  <option key={ty} value={ty}>{t(`ui.orgTypes.${ty}`)}</option>
                ))}
              </select>
            )}
          </Field>
          {type !== 'partner' && (
            <Field label={t('ui.create.parent')} error={shown.parentId ?? (parents.length ? null : t('ui.create.parentNone'))}>
              {(a) => (
                <select {...a} className="select" value={effectiveParent} onChange={(e) => setParentId(e.target.value)}>
                  {parents.map((p) => (
                    <option key={p.id} value={p.id}>{p.label}</option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </div>
        <GeneralFieldsForm draft={draft} errors={shown} onChange={setField} />
      </form>
    </Dialog>
  );
}
