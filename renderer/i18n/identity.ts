/** The UI's own wording for this feature, merged under `ui` (renderer/i18n/index.ts). Keys: this feature's own top-level names. */
const en = {};
type Shape = typeof en;
const es: Shape = {};
const pt: Shape = {};

export const identityUi = { en, es, pt };
