/**
 * Electron main entry (bundled by electron-vite to out/main/index.js, ESM). Paths are relative to
 * the bundle: out/main/index.js -> out/main/core-worker.js, out/preload/index.cjs, out/renderer/.
 */
import { fileURLToPath } from 'node:url';
import { startCoreWorker } from '../core/worker/core-client.ts';
import { runShell } from './app.ts';

runShell({
  rendererRoot: fileURLToPath(new URL('../renderer', import.meta.url)),
  preloadPath: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
  workerUrl: new URL('./core-worker.js', import.meta.url),
  workerDir: new URL('./', import.meta.url),
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
  startCore: startCoreWorker,
});
