import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { copySecret, copyText } from './clipboard.ts';
import { toast } from '../../state/toasts.ts';

/**
 * A value to paste somewhere else: read-only, selectable, with a Copy button. A secret
 * (`secretSeconds`) is cleared from the clipboard after that long if it is still there.
 */
export function CopyField({ label, value, testId, secretSeconds }: { label: string; value: string; testId?: string; secretSeconds?: number }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field copy-field">
      <label className="field-label" htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} className="input mono" readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="button button-small"
          aria-label={`${t('ui.domains.copy')}: ${label}`}
          onClick={() => {
            (secretSeconds ? copySecret(value, secretSeconds) : copyText(value)).then(() => toast.success(t('ui.domains.copied')), () => toast.error(t('common.internal')));
          }}
        >
          {t('ui.domains.copy')}
        </button>
      </div>
    </div>
  );
}
