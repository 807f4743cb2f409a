import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';
import type { FieldIssue } from '../../shared/model/errors.ts';

/** The sentence a person sees for an error, in the UI language. */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.key && error.key !== 'common.bad_input') return t(error.key, { ...error.params, defaultValue: error.message });
    const first = error.fields && Object.values(error.fields)[0]?.[0];
    if (first) return issueText(t, first);
    if (error.key) return t(error.key, { ...error.params, defaultValue: error.message });
    // Transport-level refusals (e.g. the host's 401) carry no key: use the code's message.
    const byCode: Record<string, string> = {
      UNAUTHORIZED: 'common.unauthorized', FORBIDDEN: 'common.forbidden', NOT_FOUND: 'common.not_found',
      INTERNAL: 'common.internal', CONFLICT: 'common.conflict',
    };
    const key = byCode[error.code];
    return key ? t(key, { ...error.params, defaultValue: error.message }) : error.message;
  }
  return t('common.internal');
}

export function issueText(t: TFunction, issue: FieldIssue | string): string {
  const i = typeof issue === 'string' ? { key: issue } : issue;
  return t(i.key, { ...i.params, defaultValue: i.key });
}

/** zod messages in our schemas are i18n keys: first issue's key, or null when the value is fine. */
export function zodIssue(result: { success: boolean; error?: { issues: { message: string }[] } }): string | null {
  if (result.success) return null;
  return result.error?.issues[0]?.message ?? 'common.bad_input';
}
