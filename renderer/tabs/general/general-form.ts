import { GeneralFields, LIMITS } from '../../../shared/model/organization.ts';
import { zodIssue } from '../../components/errors.ts';

export const GENERAL_FIELD_NAMES = ['name', 'email', 'language', 'country', 'sector', 'description'] as const;
export type GeneralFieldName = (typeof GENERAL_FIELD_NAMES)[number];
export type GeneralDraft = Record<GeneralFieldName, string>;
export type GeneralErrors = Partial<Record<GeneralFieldName, string>>;
export { LIMITS };

export const emptyDraft = (): GeneralDraft => ({ name: '', email: '', language: '', country: '', sector: '', description: '' });

/** The message key the core would return for this value (same zod schema), or null. */
export function validateField(name: GeneralFieldName, value: string): string | null {
  return zodIssue(GeneralFields.shape[name].safeParse(value));
}

export function validateDraft(draft: GeneralDraft): GeneralErrors {
  const errors: GeneralErrors = {};
  for (const name of GENERAL_FIELD_NAMES) {
    const issue = validateField(name, draft[name]);
    if (issue) errors[name] = issue;
  }
  return errors;
}

/** The parsed (normalized) value, as the core would store it. */
export function parsedValue(name: GeneralFieldName, value: string): unknown {
  const r = GeneralFields.shape[name].safeParse(value);
  return r.success ? r.data : value;
}
