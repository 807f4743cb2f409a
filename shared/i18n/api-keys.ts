/** Messages of API keys and the Portal REST API (issue #5), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const apiKeysMessages = {
  en: {},
  es: {},
  pt: {},
} as const;
