import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Microservice, MicroservicesView } from '../../../shared/model/org-settings.ts';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';

interface Props {
  view: MicroservicesView;
  /** null = a new microservice. */
  item: Microservice | null;
  onClose(): void;
}

/**
 * New or edit a microservice. With predefined categories on, the category is a list of the main
 * organization's categories only (the core refuses anything else too); with them off, free text.
 */
export function MicroserviceDialog({ view, item, onClose }: Props) {
  const { t } = useTranslation();
  const formId = useId();
  const create = useApiMutation('microservices.create');
  const update = useApiMutation('microservices.update');
  const [name, setName] = useState(item?.name ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const [categoryId, setCategoryId] = useState(item?.categoryId ?? '');
  const [category, setCategory] = useState(view.categoriesEnabled ? '' : (item?.categoryName ?? ''));
  const mutation = item ? update : create;
  const errors = fieldIssues(mutation.error);
  const fieldError = (f: string) => (errors[f] ? issueText(t, errors[f]) : null);
  const otherError = mutation.error && Object.keys(errors).length === 0 ? errorText(t, mutation.error) : null;

  const choice = view.categoriesEnabled ? { categoryId: categoryId || null } : { category: category.trim() || null };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const done = (key: string) => () => {
      toast.success(t(key, { name: name.trim() }));
      onClose();
    };
    if (item) update.mutate({ id: item.id, baseVersion: item.version, name, description, ...choice }, { onSuccess: done('ui.microservices.updated') });
    else create.mutate({ orgId: view.orgId, name, description, ...choice }, { onSuccess: done('ui.microservices.created') });
  };

  return (
    <Dialog
      title={item ? t('ui.microservices.editMicroserviceTitle') : t('ui.microservices.newMicroserviceTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form={formId} className="button button-primary" disabled={mutation.isPending}>
            {item ? t('ui.microservices.saveChanges') : t('ui.microservices.create')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <Field label={t('ui.microservices.name')} error={fieldError('name')}>
          {(a) => <input {...a} className="input" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('ui.microservices.description')} error={fieldError('description')}>
          {(a) => <textarea {...a} className="textarea" rows={3} value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        {view.categoriesEnabled ? (
          <Field label={t('ui.microservices.category')} error={fieldError('categoryId') ?? fieldError('category')} help={t('ui.microservices.categoryListHelp')}>
            {(a) => (
              <select {...a} className="select" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
                <option value="">{t('ui.microservices.noCategory')}</option>
                {view.categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            )}
          </Field>
        ) : (
          <Field label={t('ui.microservices.category')} error={fieldError('category') ?? fieldError('categoryId')} help={t('ui.microservices.categoryFreeHelp')}>
            {(a) => <input {...a} className="input" value={category} maxLength={60} onChange={(e) => setCategory(e.target.value)} />}
          </Field>
        )}
        {otherError && <p className="form-error" role="alert">{otherError}</p>}
      </form>
    </Dialog>
  );
}
