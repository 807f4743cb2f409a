/**
 * `npm run web`: the console in a browser, for machines where Electron is missing.
 * Starts the core in a worker on the usual data dir and serves the built renderer on 127.0.0.1.
 * Flags: --port N, --data-dir DIR, --open (open the default browser).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCoreWorker } from '../core/worker/core-client.ts';
import { defaultDataDir } from '../core/data-dir.ts';
import { startHost } from './host-server.ts';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, open: { type: 'boolean', default: false } },
});
const dataDir = values['data-dir'] ?? defaultDataDir();
const core = await startCoreWorker({ dataDir });
const host = await startHost({
  core,
  staticDir: fileURLToPath(new URL('../../out/renderer', import.meta.url)),
  port: values.port ? Number(values.port) : 0,
});
process.stdout.write(`Orgdesk is running. Data: ${dataDir}\nOpen: ${host.url}\n(Ctrl+C to stop)\n`);
if (values.open) {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(opener, [host.url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
}
const stop = async () => {
  await host.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
