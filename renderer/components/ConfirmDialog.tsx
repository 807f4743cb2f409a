import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog.tsx';

interface ConfirmDialogProps {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/** Ask before something destructive or far-reaching. Focus starts on Cancel. */
export function ConfirmDialog({ title, body, confirmLabel, danger, busy, error, onConfirm, onCancel }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const bodyId = useId();
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      className="dialog-small"
      initialFocus="[data-cancel]"
      describedBy={bodyId}
      footer={
        <>
          <button type="button" className="button" data-cancel onClick={onCancel}>
            {t('ui.dialog.cancel')}
          </button>
          <button type="button" className={danger ? 'button button-danger' : 'button button-primary'} onClick={onConfirm} disabled={busy}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <div id={bodyId} className="confirm-body">{body}</div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </Dialog>
  );
}
