// Stands in for the 'electron' package in plain Node (see vitest.config.ts). Any module that reaches
// for Electron outside main/shell fails loudly instead of trying to download the binary.
const handler: ProxyHandler<object> = {
  get(_t, prop) {
    throw new Error(`'electron' was used outside main/shell (electron.${String(prop)}); use the test double in test/unit/shell.`);
  },
};
export default new Proxy({}, handler);
