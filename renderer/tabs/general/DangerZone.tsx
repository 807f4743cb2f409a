import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgDetail } from '../../../shared/model/organization.ts';
import { useApiMutation } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field } from '../../components/Field.tsx';
import { errorText } from '../../components/errors.ts';
import { useSession } from '../../state/session.ts';
import { toast } from '../../state/toasts.ts';

/** Delete the organization after typing its name; the core refuses when it has children. */
export function DangerZone({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useApiMutation('org.delete');
  const selectOrg = useSession((s) => s.selectOrg);
  const forgetOrg = useSession((s) => s.forgetOrg);
  const matches = typed.trim() === org.name;

  const close = () => {
    setOpen(false);
    setTyped('');
    remove.reset();
  };

  // mutateAsync: the follow-up must run even if this panel unmounts first (the tree refetch after
  // the core's data.changed event can drop the deleted organization before the answer arrives).
  const confirm = () => {
    if (!matches || remove.isPending) return;
    void remove.mutateAsync({ id: org.id }).then(
      () => {
        forgetOrg(org.id);
        if (org.parentId) selectOrg(org.parentId);
        toast.success(t('ui.general.deleted', { name: org.name }));
        close();
      },
      () => undefined, // shown in the dialog from remove.error
    );
  };

  return (
    <section className="panel panel-danger" aria-labelledby="danger-title">
      <h2 id="danger-title" className="panel-title">{t('ui.general.danger')}</h2>
      <p className="muted small">{t('ui.general.deleteHelp')}</p>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        {t('ui.general.delete')}
      </button>
      {open && (
        <Dialog
          title={t('ui.general.deleteTitle', { name: org.name })}
          onClose={close}
          className="dialog-small"
          footer={
            <>
              <button type="button" className="button" onClick={close}>{t('ui.dialog.cancel')}</button>
              <button type="button" className="button button-danger" disabled={!matches || remove.isPending} onClick={confirm}>
                {t('ui.general.deleteConfirm')}
              </button>
            </>
          }
        >
          <form
            onSubmit={(e) => {
              e.preventDefault();
              confirm();
            }}
          >
            <p>{t('ui.general.deleteBody')}</p>
            <p className="confirm-name"><strong>{org.name}</strong></p>
            <Field label={t('ui.general.deleteLabel')}>
              {(a) => <input {...a} className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />}
            </Field>
            {remove.error && <p className="form-error" role="alert">{errorText(t, remove.error)}</p>}
          </form>
        </Dialog>
      )}
    </section>
  );
}
