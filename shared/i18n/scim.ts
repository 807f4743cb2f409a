/** Messages of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const scimMessages = {
  en: {},
  es: {},
  pt: {},
} as const;
