import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { tempDir } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

describe('the Portal server skeleton', () => {
  it('reports health through the same core, on its own empty data dir', async () => {
    const dir = tempDir();
    const core = await startCoreWorker({ dataDir: dir.path, seedSample: false });
    const portal = await startPortal({ core });
    try {
      const health = await fetch(`${portal.origin}/health`);
      expect(health.status).toBe(200);
      expect(await json(health)).toMatchObject({ status: 'ok', version: '0.1.0', organizations: 0 });
      const missing = await fetch(`${portal.origin}/nope`);
      expect(missing.status).toBe(404);
      expect((await json(missing)).error.code).toBe('NOT_FOUND');
    } finally {
      await portal.close();
      await core.close();
      dir.remove();
    }
  });

  it('starts as `npm run portal` does and stops on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../main/portal/serve.ts'), '--port', '0', '--data-dir', dir.path], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
          out += c;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`portal exited with ${code}`)));
        setTimeout(() => reject(new Error(`no start line: ${out}`)), 15_000);
      });
      expect((await json(fetch(`${origin}/health`))).status).toBe('ok');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      dir.remove();
    }
  });

  it('refuses a bad port with a clear message', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../main/portal/serve.ts'), '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('--port must be a number from 0 to 65535');
  });
});
