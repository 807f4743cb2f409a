/** Messages of directory import from LDAP / Active Directory (issue #7), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const directoryMessages = {
  en: {},
  es: {},
  pt: {},
} as const;
