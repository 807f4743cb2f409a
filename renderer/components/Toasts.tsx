import { useTranslation } from 'react-i18next';
import { useToasts } from '../state/toasts.ts';

/** Notifications, announced politely to screen readers (role=status). */
export function Toasts() {
  const { t } = useTranslation();
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label={t('ui.toasts.label')}>
      {toasts.map((item) => (
        <div key={item.id} className={`toast toast-${item.kind}`}>
          <span className="toast-text">{item.text}</span>
          <button type="button" className="icon-button" aria-label={t('ui.toasts.dismiss')} onClick={() => dismiss(item.id)}>
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      ))}
    </div>
  );
}
