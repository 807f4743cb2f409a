import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // In plain Node, importing 'electron' tries to download the binary and throws. Tests get a
    // stub that throws on use; the shell's own tests replace it with a recording double.
    alias: { electron: fileURLToPath(new URL('./test/stubs/electron-throws.ts', import.meta.url)) },
  },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
      },
    ],
  },
});
