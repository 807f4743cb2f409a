import type { z } from 'zod';
import type { AppErrorShape, ErrorCode, FieldIssue } from '../../shared/model/errors.ts';
import { isMessageKey, translate } from '../../shared/i18n/index.ts';

/** A typed error that reaches the user: a code, an English message, and the i18n key behind it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly key: string | undefined;
  readonly params: Record<string, string | number> | undefined;
  readonly fields: Record<string, FieldIssue[]> | undefined;

  constructor(
    code: ErrorCode,
    key: string,
    params?: Record<string, string | number>,
    fields?: Record<string, FieldIssue[]>,
  ) {
    super(translate(key, params));
    this.name = 'AppError';
    this.code = code;
    this.key = key;
    this.params = params;
    this.fields = fields;
  }

  toShape(): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, message: this.message, key: this.key };
    if (this.params) shape.params = this.params;
    if (this.fields) shape.fields = this.fields;
    return shape;
  }
}

/** One rule broken on one field: the message a person sees is under that field. */
export function fieldError(field: string, key: string, params?: Record<string, string | number>): AppError {
  const issue: FieldIssue = params ? { key, params } : { key };
  // One problem: its own message is the error's message, so a toast or a CLI says it exactly.
  return new AppError('BAD_INPUT', key, params, { [field]: [issue] });
}

export function fromZodError(error: z.ZodError): AppError {
  const fields: Record<string, FieldIssue[]> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    // Our schemas use i18n keys as messages; zod's built-in ones (wrong type, ...) are kept as
    // plain text under common.bad_input's field map, so nothing is lost.
    (fields[path] ??= []).push({ key: isMessageKey(issue.message) ? issue.message : issue.message || 'common.bad_input' });
  }
  const first = Object.entries(fields)[0];
  const summary = first ? `${first[0]}: ${translate(first[1][0]!.key)}` : translate('common.bad_input');
  const err = new AppError('BAD_INPUT', 'common.bad_input', undefined, fields);
  // A one-line message a CLI or log reader can act on without the field map.
  Object.defineProperty(err, 'message', { value: summary });
  return err;
}

export function toErrorShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return e.toShape();
  return { code: 'INTERNAL', message: translate('common.internal'), key: 'common.internal' };
}
