/**
 * Worker entry of `readDirectoryInWorker` (read-in-worker.ts): one run's LDAP side on one
 * connection — root DSE and invocationId (AD, read BEFORE the users: a change made during the
 * read is seen again by the next delta), full or delta, the groups' members, then the users page
 * by page, each entry mapped here. ldapts's BER decoding makes several times the mapped data in
 * garbage; in this worker's capped heap it is collected young instead of growing the core's heap.
 * At most MAX_AHEAD messages wait for the core (it acks each), so a slow consumer holds the read back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mapEntry } from '../../../shared/rules/directory.ts';
import { classifyError, closeQuietly, connect, readGroupMembers, readInvocationId, readRootDse, readUsers } from './ldap.ts';
import { chooseDelta } from './plan.ts';
import type { FromReadWorker, ReadItem, ReadWorkerData, ToReadWorker } from './read-worker-protocol.ts';

const port = parentPort!;
const data = workerData as ReadWorkerData;
/** Messages waiting for the core at most (about three 1,000-entry pages). */
const MAX_AHEAD = 16;
/**
 * Characters of JSON per message at most: V8 puts a string above 128 KB (a two-byte string of 64K
 * characters) straight into its large-object space, which only a full GC frees, so a page sent as
 * one string grew the core's heap by its size for every page of the read.
 */
const MESSAGE_CHARS = 40_000;
const post = (m: FromReadWorker) => port.postMessage(m);
const cancel = new AbortController();
let ahead = 0;
let wake: (() => void) | null = null;

port.on('message', (m: ToReadWorker) => {
  if (m.type === 'ack') ahead--;
  else cancel.abort();
  wake?.();
  wake = null;
});

async function read(): Promise<FromReadWorker> {
  const { settings } = data;
  const client = await connect(settings, data.password);
  try {
    let dc: { highestCommittedUSN: string | null; dnsHostName: string | null; invocationId: string | null } | null = null;
    if (settings.kind === 'activeDirectory') {
      const dse = await readRootDse(client);
      const invocationId = dse.dsServiceName ? await readInvocationId(client, dse.dsServiceName).catch(() => null) : null;
      dc = { highestCommittedUSN: dse.highestCommittedUSN, dnsHostName: dse.dnsHostName, invocationId };
    }
    const delta = chooseDelta(settings.kind, data.requestedMode, data.previousDeltaState, dc);
    post({ type: 'mode', mode: delta.mode, nextState: delta.nextState });
    if (data.groupDns.length > 0) {
      const members: string[][] = [];
      for (const dn of data.groupDns) members.push(await readGroupMembers(client, dn));
      post({ type: 'groups', members });
    }
    let maxModifyTimestamp = '';
    for await (const page of readUsers(client, settings, { extraFilter: delta.extraFilter, extraAttributes: delta.extraAttributes, signal: cancel.signal })) {
      let json: string[] = [];
      let chars = 0;
      const send = () => {
        post({ type: 'page', json: `[${json.join(',')}]`, count: json.length });
        ahead++;
        json = [];
        chars = 0;
      };
      for (const entry of page) {
        const ts = entry.attributes.modifytimestamp?.[0];
        if (ts && ts > maxModifyTimestamp) maxModifyTimestamp = ts;
        const mapped = mapEntry(entry, settings.mapping);
        const item: ReadItem = 'user' in mapped ? mapped.user : { dn: entry.dn, anchor: entry.anchor, problem: mapped.problem };
        const text = JSON.stringify(item);
        if (json.length > 0 && chars + text.length > MESSAGE_CHARS) send();
        json.push(text);
        chars += text.length + 1;
      }
      if (json.length > 0) send();
      while (ahead >= MAX_AHEAD && !cancel.signal.aborted) await new Promise<void>((r) => { wake = r; });
      if (cancel.signal.aborted) break;
    }
    return cancel.signal.aborted ? { type: 'cancelled' } : { type: 'done', maxModifyTimestamp };
  } finally {
    await closeQuietly(client);
  }
}

try {
  post(await read());
} catch (e) {
  const d = classifyError(e);
  post({ type: 'failed', problem: d.problem, detail: d.detail });
}
port.close();
