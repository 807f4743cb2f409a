/** Messages of Domains, SSO connections (SAML) and SCIM tokens (issue #4), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const identityMessages = {
  en: {},
  es: {},
  pt: {},
} as const;
