/**
 * `npm run build` / `npm start` / `npm run dev` (electron-vite 6, Vite 8).
 *   out/main/index.js        the shell (main/shell/main.ts), ESM ("type": "module")
 *   out/main/core-worker.js  the core's worker thread, started by the shell from the file beside it
 *   out/main/sheet-worker.js the spreadsheet reader's worker thread, started by the core for imports
 *   out/main/apply-worker.js applies long mutations (imports, bulk actions) off the core's thread
 *   out/main/export-worker.js writes users exports and templates off the core's thread
 *   out/main/directory-read-worker.js reads an LDAP directory for a directory run off the core's thread
 *   out/main/sync-checkpoint-worker.js folds the WAL into the database during a long pull, off the core's thread
 *   out/preload/index.cjs    the sandboxed preload: ONE CommonJS file, requiring nothing but 'electron'
 *   out/renderer/            the React app (vite.config.ts's rendererConfig)
 */
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';
import { rendererConfig } from './vite.config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Native addons and packages that locate files at runtime stay in node_modules (unpacked from asar). */
const NATIVE = ['better-sqlite3', '@napi-rs/keyring'];

export default defineConfig({
  main: {
    build: {
      outDir: here('./out/main'),
      // Bundle everything else: one require graph to load at startup is the fastest (Electron performance.md).
      externalizeDeps: false,
      sourcemap: true,
      rolldownOptions: {
        input: {
          index: here('./main/shell/main.ts'),
          'core-worker': here('./main/core/worker/core-worker.ts'),
          'sheet-worker': here('./main/core/io/sheet-worker.ts'),
          'apply-worker': here('./main/core/mutations/apply-worker.ts'),
          'export-worker': here('./main/core/user-sheets/export-worker.ts'),
          'directory-read-worker': here('./main/core/directory/read-worker.ts'),
          'sync-checkpoint-worker': here('./main/core/sync/checkpoint-worker.ts'),
        },
        external: NATIVE.flatMap((name) => [name, new RegExp(`^${name.replace('/', '\\/')}/`)]),
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      externalizeDeps: false, // everything but 'electron' is inlined: a sandboxed preload cannot require
      rolldownOptions: {
        input: { index: here('./preload/index.ts') },
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          codeSplitting: false,
        },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rolldownOptions: { input: here('./renderer/index.html') },
    },
  },
});
