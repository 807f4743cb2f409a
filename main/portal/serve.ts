/**
 * `npm run portal`: the Portal server on its own data dir.
 * Flags: --port N (default 8787), --host ADDR (default 127.0.0.1), --data-dir DIR
 * (default ORGDESK_PORTAL_DATA_DIR, else ./portal-data).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCoreWorker } from '../core/worker/core-client.ts';
import { startPortal } from './portal-server.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8787' }, host: { type: 'string', default: '127.0.0.1' }, 'data-dir': { type: 'string' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a number from 0 to 65535 (got "${values.port}").\n`);
  process.exit(2);
}
const dataDir = resolve(values['data-dir'] ?? process.env.ORGDESK_PORTAL_DATA_DIR ?? 'portal-data');
// The Portal starts empty: the sample partner is a console first-run aid, not server data.
const core = await startCoreWorker({ dataDir, seedSample: false });
const portal = await startPortal({ core, host: values.host, port });
process.stdout.write(`Orgdesk Portal listening on ${portal.origin} (data: ${dataDir})\n`);
const stop = async () => {
  await portal.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
