import { en } from './en.ts';
import { es } from './es.ts';
import { pt } from './pt.ts';

export const SUPPORTED_UI_LANGUAGES = ['en', 'es', 'pt'] as const;
export type UiLanguage = (typeof SUPPORTED_UI_LANGUAGES)[number];
export const sharedMessages = { en, es, pt } as const;

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
  return lookup(en, key) !== undefined;
}
