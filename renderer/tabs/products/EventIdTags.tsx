import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseEventIdTag } from '../../../shared/rules/products.ts';

interface EventIdTagsProps {
  label: string;
  value: number[];
  disabled?: boolean;
  /** An error from the whole form (e.g. the core's). */
  error?: string | null;
  onChange(next: number[]): void;
}

/**
 * Numeric tags: type an event ID and press Enter or Tab to add it (checked as it is added: whole
 * number, 1..65535, not twice); Backspace in the empty box removes the last one.
 */
export function EventIdTags({ label, value, disabled, error, onChange }: EventIdTagsProps) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [issue, setIssue] = useState<string | null>(null);
  const add = (): boolean => {
    const r = parseEventIdTag(text, value);
    if (!r.ok) {
      setIssue(t(r.key, r.params));
      return false;
    }
    onChange([...value, r.value]);
    setText('');
    setIssue(null);
    return true;
  };
  const shown = issue ?? error ?? null;
  return (
    <div className={`field tag-field ${shown ? 'field-invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>{label}</label>
      <div className={`tag-input ${disabled ? 'is-disabled' : ''}`}>
        <ul className="tag-list" aria-label={label}>
          {value.map((n) => (
            <li key={n} className="tag">
              <span className="mono">{n}</span>
              {!disabled && (
                <button type="button" className="tag-remove" aria-label={t('ui.products.agent.removeTag', { id: n })} onClick={() => onChange(value.filter((x) => x !== n))}>
                  <span aria-hidden="true">×</span>
                </button>
              )}
            </li>
          ))}
        </ul>
        <input
          id={id}
          className="tag-text"
          inputMode="numeric"
          value={text}
          disabled={disabled}
          placeholder={value.length === 0 ? t('ui.products.agent.tagPlaceholder') : ''}
          aria-invalid={Boolean(shown)}
          aria-describedby={shown ? `${id}-error` : `${id}-help`}
          onChange={(e) => { setText(e.target.value); setIssue(null); }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ',') {
              e.preventDefault();
              if (text.trim() !== '') add();
            } else if (e.key === 'Tab' && !e.shiftKey && text.trim() !== '') {
              // Tab adds the tag; when the value is wrong, focus stays so it can be corrected.
              if (!add()) e.preventDefault();
            } else if (e.key === 'Backspace' && text === '' && value.length > 0) {
              onChange(value.slice(0, -1));
            }
          }}
        />
      </div>
      {shown
        ? <p id={`${id}-error`} className="field-error" role="alert">{shown}</p>
        : <p id={`${id}-help`} className="field-help">{t('ui.products.agent.tagHelp')}</p>}
    </div>
  );
}
