import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * The renderer build, shared by `npm run web` (served by main/host) and the Electron build
 * (electron.vite.config.ts reuses it). Output: out/renderer.
 */
export const rendererConfig = defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
});

export default rendererConfig;
