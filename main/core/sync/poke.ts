/**
 * The console's side of the sync poke: while the engine runs, one long poll at a time to
 * POST /sync/v1/poke; when the Portal says the console's organizations changed, the engine syncs at
 * once instead of at its next 30-second poll. The poke only hastens: every failure (an older Portal
 * without the route, the network, a refused credential) leaves the timer-driven sync as it was, and
 * the listener tries again later. Nothing is asked while the console works offline.
 */
import { PokeResponse } from '../../../shared/model/sync.ts';
import { backoffDelay } from '../../../shared/rules/sync.ts';

export interface PokeListenerOptions {
  /** The Portal's origin, or null when not connected. */
  url(): string | null;
  credential(): Promise<string | null>;
  /** "Work offline": no requests. */
  paused(): boolean;
  /** Something changed for this console on the Portal. */
  onPoke(): void;
  /** How long the Portal may hold a poke (plus a margin) before this side gives up on it. */
  requestTimeoutMs?: number;
  /** First wait after a failure (doubles up to maxBackoffMs); an absent route waits the longest. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export function createPokeListener(options: PokeListenerOptions) {
  const requestTimeoutMs = options.requestTimeoutMs ?? 40_000;
  const baseBackoff = options.backoffMs ?? 2000;
  const maxBackoff = options.maxBackoffMs ?? 5 * 60_000;
  let controller: AbortController | null = null;
  let loop: Promise<void> | null = null;

  const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

  async function run(signal: AbortSignal): Promise<void> {
    let since: number | null = null;
    let failures = 0;
    while (!signal.aborted) {
      const url = options.url();
      const credential = url && !options.paused() ? await options.credential() : null;
      if (!url || !credential) {
        await sleep(1000, signal);
        continue;
      }
      let wait = 0;
      try {
        const res = await fetch(new URL('/sync/v1/poke', url), {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
          body: JSON.stringify({ since }), signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]),
        });
        const parsed = PokeResponse.safeParse(await res.json().catch(() => null));
        if (res.status === 200 && parsed.success) {
          failures = 0;
          since = parsed.data.seq;
          if (parsed.data.changed) options.onPoke();
        } else {
          // A Portal without the poke (404), a refused credential (the engine shows it), a busy Portal.
          failures++;
          wait = res.status === 404 || res.status === 405 ? maxBackoff : backoffDelay(failures, baseBackoff, maxBackoff, Math.random());
        }
      } catch {
        if (signal.aborted) return;
        failures++;
        wait = backoffDelay(failures, baseBackoff, maxBackoff, Math.random());
      }
      if (wait > 0) await sleep(wait, signal);
    }
  }

  return {
    start(): void {
      if (controller) return;
      controller = new AbortController();
      loop = run(controller.signal);
    },
    stop(): void {
      controller?.abort();
      controller = null;
      loop = null;
    },
    /** For tests: whether a listener runs. */
    running: () => loop !== null,
  };
}
