import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SECTORS } from '../../../shared/model/organization.ts';
import { Field } from '../../components/Field.tsx';
import { useFormat } from '../../i18n/format.ts';
import { LIMITS, type GeneralDraft, type GeneralErrors, type GeneralFieldName } from './general-form.ts';

interface GeneralFieldsFormProps {
  draft: GeneralDraft;
  /** Messages (already translated) under each field. */
  errors: Partial<Record<GeneralFieldName, string>>;
  onChange(name: GeneralFieldName, value: string): void;
  onBlur?(name: GeneralFieldName): void;
  disabled?: boolean;
}

export type { GeneralErrors };

/** Name, email, language, country, sector and description: the General tab and the create dialog. */
export function GeneralFieldsForm({ draft, errors, onChange, onBlur, disabled }: GeneralFieldsFormProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const languages = useMemo(() => format.languageOptions(draft.language || undefined), [format, draft.language]);
  const countries = useMemo(() => format.countryOptions(), [format]);
  const sectors = useMemo(
    () => SECTORS.map((s) => ({ value: s, label: t(`ui.sectors.${s}`) })).sort((a, b) => a.label.localeCompare(b.label, format.lang)),
    [t, format.lang],
  );
  const bind = (name: GeneralFieldName) => ({
    name,
    value: draft[name],
    disabled,
    onChange: (e: { target: { value: string } }) => onChange(name, e.target.value),
    onBlur: () => onBlur?.(name),
  });
  const languageKnown = languages.some((l) => l.value === draft.language);

  return (
    <div className="form-grid">
      <Field label={t('ui.fields.name')} error={errors.name}>
        {(a) => <input {...a} {...bind('name')} type="text" className="input" autoComplete="organization" maxLength={LIMITS.nameMax + 20} />}
      </Field>
      <Field label={t('ui.fields.email')} error={errors.email}>
        {(a) => <input {...a} {...bind('email')} type="text" inputMode="email" className="input" autoComplete="email" spellCheck={false} />}
      </Field>
      <Field label={t('ui.fields.language')} error={errors.language}>
        {(a) => (
          <select {...a} {...bind('language')} className="select">
            {(!draft.language || !languageKnown) && <option value={draft.language}>{draft.language || t('ui.fields.choose')}</option>}
            {languages.map((l) => (
              <option key={l.value} value={l.value}>{l.label}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('ui.fields.country')} error={errors.country}>
        {(a) => (
          <select {...a} {...bind('country')} className="select">
            {!draft.country && <option value="">{t('ui.fields.choose')}</option>}
            {countries.map((c) => (
              <option key={c.value} value={c.value}>{c.label}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('ui.fields.sector')} error={errors.sector}>
        {(a) => (
          <select {...a} {...bind('sector')} className="select">
            {!draft.sector && <option value="">{t('ui.fields.choose')}</option>}
            {sectors.map((s) => (
              <option key={s.value} value={s.value}>{s.label}</option>
            ))}
          </select>
        )}
      </Field>
      <Field
        className="field-wide"
        label={t('ui.fields.description')}
        error={errors.description}
        aside={
          <span className={`counter ${draft.description.length > LIMITS.descriptionMax ? 'counter-over' : ''}`}>
            {t('ui.fields.descriptionCount', { count: draft.description.length, max: LIMITS.descriptionMax })}
          </span>
        }
      >
        {(a) => <textarea {...a} {...bind('description')} className="textarea" rows={4} />}
      </Field>
    </div>
  );
}
