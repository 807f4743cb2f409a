/** Messages of Microservices, Reports and Modules settings (issue #5), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const orgSettingsMessages = {
  en: {},
  es: {},
  pt: {},
} as const;
