import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportCategory } from '../../../shared/model/org-settings.ts';
import { queryLines } from '../../../shared/rules/org-settings.ts';
import { fieldIssues } from '../../api/client.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText, issueText } from '../../components/errors.ts';
import { toast } from '../../state/toasts.ts';

/** New or edit a report category: name, description and its queries (one per line). */
export function ReportCategoryDialog({ orgId, category, onClose }: { orgId: string; category: ReportCategory | null; onClose(): void }) {
  const { t } = useTranslation();
  const formId = useId();
  const create = useApiMutation('reports.createCategory');
  const update = useApiMutation('reports.updateCategory');
  const mutation = category ? update : create;
  const [name, setName] = useState(category?.name ?? '');
  const [description, setDescription] = useState(category?.description ?? '');
  const [queries, setQueries] = useState(category?.queries.join('\n') ?? '');
  const errors = fieldIssues(mutation.error);
  // Query issues come back per line ("queries.2"): show the first under the textarea.
  const queriesIssue = Object.entries(errors).find(([k]) => k === 'queries' || k.startsWith('queries.'))?.[1];
  const other = mutation.error && Object.keys(errors).length === 0 ? errorText(t, mutation.error) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = { name, description, queries: queryLines(queries) };
    const done = (key: string) => () => {
      toast.success(t(key, { name: name.trim() }));
      onClose();
    };
    if (category) update.mutate({ id: category.id, baseVersion: category.version, ...input }, { onSuccess: done('ui.reports.updated') });
    else create.mutate({ orgId, ...input }, { onSuccess: done('ui.reports.created') });
  };

  return (
    <Dialog
      title={category ? t('ui.reports.editTitle') : t('ui.reports.newTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>{t('ui.dialog.cancel')}</button>
          <button type="submit" form={formId} className="button button-primary" disabled={mutation.isPending}>
            {category ? t('ui.reports.save') : t('ui.reports.create')}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <Field label={t('ui.reports.name')} error={errors.name ? issueText(t, errors.name) : null}>
          {(a) => <input {...a} className="input" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('ui.reports.description')} error={errors.description ? issueText(t, errors.description) : null}>
          {(a) => <textarea {...a} className="textarea" rows={2} value={description} maxLength={300} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label={t('ui.reports.queries')} help={t('ui.reports.queriesHelp')} error={queriesIssue ? issueText(t, queriesIssue) : null}>
          {(a) => <textarea {...a} className="textarea" rows={5} value={queries} onChange={(e) => setQueries(e.target.value)} />}
        </Field>
        {other && <p className="form-error" role="alert">{other}</p>}
      </form>
    </Dialog>
  );
}
