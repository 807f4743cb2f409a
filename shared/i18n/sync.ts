/** Messages of offline-first sync with a Portal server (issue #6), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const syncMessages = {
  en: {},
  es: {},
  pt: {},
} as const;
