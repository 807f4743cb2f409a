import { en } from './en.ts';
import { es } from './es.ts';
import { pt } from './pt.ts';
import { userSheetMessages } from '../rules/user-sheet.ts';

export const SUPPORTED_UI_LANGUAGES = ['en', 'es', 'pt'] as const;
export type UiLanguage = (typeof SUPPORTED_UI_LANGUAGES)[number];
/** Every message the core and the renderer share; the users-spreadsheet texts live beside their rules. */
export const sharedMessages = {
  en: { ...en, ...userSheetMessages.en },
  es: { ...es, ...userSheetMessages.es },
  pt: { ...pt, ...userSheetMessages.pt },
} as const;

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Translate a shared message key; unknown keys come back as they are (zod's own messages). */
export function translate(key: string, params?: Record<string, string | number>, lang: UiLanguage = 'en'): string {
  const template = lookup(sharedMessages[lang], key) ?? lookup(sharedMessages.en, key) ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params?.[name] ?? ''));
}

export function isMessageKey(key: string): boolean {
  return lookup(sharedMessages.en, key) !== undefined;
}
