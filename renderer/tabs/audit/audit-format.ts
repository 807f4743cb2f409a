import type { TFunction } from 'i18next';
import type { AuditEntry } from '../../../shared/model/audit.ts';
import { DEFAULT_PALETTE } from '../../../shared/model/branding.ts';

/** A translated label for known actions ("mail.outbox.retry" -> ui.audit.actions.mail_outbox_retry); the raw name otherwise. */
export function actionLabel(t: TFunction, action: string): string {
  const key = `ui.audit.actions.${action.replace(/\./g, '_')}`;
  const label = t(key);
  return label === key ? action : label;
}

export function fieldLabel(t: TFunction, field: string): string {
  const key = `ui.audit.fieldNames.${field.replace('.', '_')}`;
  return t(key, { defaultValue: field });
}

export interface ChangeLine {
  field: string;
  before: unknown;
  after: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isImageMeta = (v: unknown): v is { mime: string; width: number; height: number; bytes: number; sha256: string } =>
  isPlainObject(v) && typeof v.sha256 === 'string' && typeof v.width === 'number';

/** One line per changed field; nested objects (the palette) are split per key, images stay whole. */
export function changeLines(entry: Pick<AuditEntry, 'before' | 'after'>): ChangeLine[] {
  const names = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])].filter((n) => n !== 'id' && n !== 'orgId');
  const lines: ChangeLine[] = [];
  for (const name of names) {
    const b = entry.before?.[name];
    const a = entry.after?.[name];
    if ((isPlainObject(b) || isPlainObject(a)) && !isImageMeta(b) && !isImageMeta(a)) {
      const bo = isPlainObject(b) ? b : {};
      const ao = isPlainObject(a) ? a : {};
      for (const k of [...new Set([...Object.keys(bo), ...Object.keys(ao)])]) {
        if (entry.before && entry.after && JSON.stringify(bo[k]) === JSON.stringify(ao[k])) continue;
        lines.push({ field: `${name}.${k}`, before: bo[k], after: ao[k] });
      }
      continue;
    }
    lines.push({ field: name, before: b, after: a });
  }
  return lines;
}

/**
 * An organization without a branding row uses the defaults, so the first branding save (recorded
 * by the core as a create) is shown as a change from those defaults, listing only what differs.
 */
export function withImplicitBefore(entry: AuditEntry): Pick<AuditEntry, 'before' | 'after'> {
  if (entry.targetType !== 'branding' || entry.before !== null || entry.after === null) return entry;
  const before: Record<string, unknown> = { logo: null, cover: null, palette: DEFAULT_PALETTE };
  const after: Record<string, unknown> = {};
  const b: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry.after)) {
    if (JSON.stringify(v ?? null) === JSON.stringify(before[k] ?? null)) continue;
    after[k] = v;
    b[k] = before[k] ?? null;
  }
  return { before: b, after };
}
