import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';

/** New predefined category of a main organization: just its name. */
export function CategoryDialog({ orgId, onClose }: { orgId: string; onClose(): void }) {
  const { t } = useTranslation();
  const formId = useId();
  const create = useApiMutation('microservices.createCategory');
  const [name, setName] = useState('');
  const errors = fieldIssues(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ orgId, name }, {
      onSuccess: () => {
        toast.success(t('ui.microservices.categoryCreated', { name: name.trim() }));
        onClose();
      },
    });
  };
  return (
    <Dialog
      title={t('ui.microservices.newCategoryTitle')}
      onClose={onClose}
      className="dialog-small"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form={formId} className="button button-primary" disabled={create.isPending}>{t('ui.microservices.create')}</button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <Field label={t('ui.microservices.categoryName')} error={errors.name ? issueText(t, errors.name) : null}>
          {(a) => <input {...a} className="input" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />}
        </Field>
        {create.error && !errors.name && <p className="form-error" role="alert">{errorText(t, create.error)}</p>}
      </form>
    </Dialog>
  );
}
