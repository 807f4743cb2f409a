import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sharedMessages, type UiLanguage } from '../../shared/i18n/index.ts';
import { useSession } from '../state/session.ts';
import { en, type UiMessages } from './en.ts';
import { es } from './es.ts';
import { pt } from './pt.ts';
import { mergeMessages } from './merge-messages.ts';
import { identityUi } from './identity.ts';
import { scimUi } from './scim.ts';
import { orgSettingsUi } from './org-settings.ts';
import { productsUi } from './products.ts';
import { apiKeysUi } from './api-keys.ts';
import { directoryUi } from './directory.ts';
import { syncUi } from './sync.ts';

/**
 * Keys the core sends that shared/i18n does not translate yet (file transfers, jobs): the UI's own
 * wording, overridden by shared/i18n as soon as it has them.
 */
const coreFallbacks = (ui: UiMessages) => ({
  files: {
    too_large: ui.core.filesTooLarge, not_found: ui.core.filesNotFound, incomplete: ui.core.filesIncomplete, out_of_order: ui.core.filesOutOfOrder,
  },
  jobs: { not_found: ui.core.jobsNotFound },
});

/** One resource per language: the core's shared messages (validation keys) + the UI under `ui`. */
const resources = {
  en: { translation: { ...coreFallbacks(en), ...sharedMessages.en, ui: mergeMessages(en, identityUi.en, scimUi.en, orgSettingsUi.en, productsUi.en, apiKeysUi.en, directoryUi.en, syncUi.en) } },
  es: { translation: { ...coreFallbacks(es), ...sharedMessages.es, ui: mergeMessages(es, identityUi.es, scimUi.es, orgSettingsUi.es, productsUi.es, apiKeysUi.es, directoryUi.es, syncUi.es) } },
  pt: { translation: { ...coreFallbacks(pt), ...sharedMessages.pt, ui: mergeMessages(pt, identityUi.pt, scimUi.pt, orgSettingsUi.pt, productsUi.pt, apiKeysUi.pt, directoryUi.pt, syncUi.pt) } },
};

export function initI18n() {
  const language = useSession.getState().language;
  void i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  document.documentElement.lang = language;
  // Follow the persisted choice: <html lang> and every t() re-render.
  useSession.subscribe((s, prev) => {
    if (s.language !== prev.language) {
      void i18next.changeLanguage(s.language);
      document.documentElement.lang = s.language;
    }
  });
  return i18next;
}

export const UI_LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', es: 'Español', pt: 'Português' };

/** A message key from the core (shared/i18n) or a zod schema, shown in the UI language. */
export function isKnownKey(key: string): boolean {
  return i18next.exists(key);
}
