/**
 * The sync poke: POST /sync/v1/poke {since} with the console's bearer credential, a long poll. The
 * route listens to the core's `data.changed` events and, at the start and after each change touching
 * the caller's organizations (at most every CHECK_EVERY_MS), asks the core whether a synced entity
 * of them changed after `since` (`sync.serverPoke`: the caller and its tree are derived there, per
 * check, as for pull).
 * It answers at once when so, or `changed: false` after `waitMs`; the console then pulls, or asks again.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreClient } from '../../core/worker/core-client.ts';

/** How long a poke is held open without news (below common proxy idle timeouts). */
export const POKE_WAIT_MS = 25_000;
/** Changes arriving in a burst (an import on the Portal) cost one check, not one each. */
const CHECK_EVERY_MS = 200;
const MAX_BODY_BYTES = 4096;

function send(res: ServerResponse, status: number, body: unknown) {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(body));
}

export async function pokeRoute(core: CoreClient, req: IncomingMessage, res: ServerResponse, waitMs = POKE_WAIT_MS): Promise<void> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return send(res, 401, { error: 'unauthorized' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return send(res, 413, { error: 'tooLarge', maxBytes: MAX_BODY_BYTES });
    chunks.push(chunk as Buffer);
  }
  let request: unknown;
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    request = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    return send(res, 400, { error: 'badJson' });
  }

  let done = false;
  let checking = false;
  let again = false;
  let lastCheck = 0;
  let later: NodeJS.Timeout | null = null;
  let since: unknown = (request as { since?: unknown }).since ?? null;
  /** The caller's organizations, as the last check found them (null until then: every change is checked). */
  let visible: Set<string> | null = null;
  const finish = (status: number, body: unknown) => {
    if (done) return;
    done = true;
    unsubscribe();
    clearTimeout(timeout);
    if (later) clearTimeout(later);
    send(res, status, body);
  };
  /** Ask the core; answer when something changed (or the credential is refused), else keep waiting. */
  const check = async (): Promise<void> => {
    if (done) return;
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    lastCheck = Date.now();
    try {
      const result = await core.call('sync.serverPoke', { token, request: { since } });
      if (!result.ok) {
        if (result.error.code === 'BAD_INPUT') finish(400, { error: 'badRequest', message: result.error.message });
        else finish(503, { error: 'unavailable' });
        return;
      }
      const answer = result.value as { status: number; body: { changed?: boolean; seq?: number; orgIds?: string[] } };
      if (answer.status !== 200) return finish(answer.status, answer.body);
      if (answer.body.changed) return finish(200, { changed: true, seq: answer.body.seq });
      // Nothing for this caller yet: later checks look after where the log ends now, and only
      // changes touching the caller's organizations are worth a check.
      since = answer.body.seq ?? since;
      if (answer.body.orgIds) visible = new Set(answer.body.orgIds);
    } finally {
      checking = false;
    }
    if (again) {
      again = false;
      schedule();
    }
  };
  const schedule = () => {
    if (done || later) return;
    later = setTimeout(() => {
      later = null;
      void check();
    }, Math.max(0, lastCheck + CHECK_EVERY_MS - Date.now()));
  };
  // Listen first, then check: a change committed in between is not missed. A change of other
  // organizations costs no check (a new organization of the caller's tree arrives with the next poll).
  const unsubscribe = core.subscribe('data.changed', (payload) => {
    const orgIds = (payload as { orgIds?: string[] }).orgIds ?? [];
    if (visible === null || orgIds.some((id) => visible!.has(id))) schedule();
  });
  const timeout = setTimeout(() => {
    finish(200, { changed: false, seq: typeof since === 'number' ? since : 0 });
  }, waitMs);
  res.on('close', () => {
    // The console went away (or the Portal is closing): stop listening.
    if (!done) {
      done = true;
      unsubscribe();
      clearTimeout(timeout);
      if (later) clearTimeout(later);
    }
  });
  await check();
}
