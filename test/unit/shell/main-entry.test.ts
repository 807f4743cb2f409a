// main/shell/main.ts is the bundle entry: it must hand runShell the paths of the files electron-vite
// emits beside it (out/main/core-worker.js, out/preload/index.cjs, out/renderer) and the real worker starter.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../stubs/electron-double.ts')).electronModule);
const started = vi.hoisted(() => [] as Array<{ dataDir: string; workerUrl?: URL; workerDir?: URL }>);
vi.mock('../../../main/core/worker/core-client.ts', () => ({
  startCoreWorker: async (o: { dataDir: string; workerUrl?: URL; workerDir?: URL }) => {
    started.push(o);
    return { call: async () => ({ ok: true, value: null }), subscribe: () => () => undefined, close: async () => undefined };
  },
}));

import { electron, resetElectron } from '../../stubs/electron-double.ts';

describe('main.ts', () => {
  it('wires the bundled worker, preload and renderer paths', async () => {
    resetElectron();
    electron.app.paths.userData = '/tmp/orgdesk-main-entry';
    await import('../../../main/shell/main.ts');
    electron.app.fireReady();
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    expect(started).toHaveLength(1);
    expect(started[0]!.dataDir).toBe('/tmp/orgdesk-main-entry');
    expect(started[0]!.workerUrl!.href).toMatch(/\/main\/shell\/core-worker\.js$/); // out/main/core-worker.js once bundled
    expect(started[0]!.workerDir!.href).toMatch(/\/main\/shell\/$/); // out/main/ once bundled
    const prefs = electron.windows[0]!.options.webPreferences!;
    expect(prefs.preload).toMatch(/\/main\/preload\/index\.cjs$/); // out/preload/index.cjs once bundled
    expect(electron.app.sandboxEnabled).toBe(true);
  });
});
