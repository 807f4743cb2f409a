/** Messages of Products, agent settings and consumption (issue #5), merged into sharedMessages (index.ts). Top-level keys are this feature's own. */
export const productsMessages = {
  en: {},
  es: {},
  pt: {},
} as const;
