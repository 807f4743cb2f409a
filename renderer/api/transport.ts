/**
 * The two ways to reach the core, behind one interface (shared/contract.ts `Transport`):
 *  - Electron: the preload's `window.orgdesk` (IPC).
 *  - Browser (main/host): HTTP on the same origin, authorized by the token the page received in
 *    its URL fragment; events over a text/event-stream read with fetch (EventSource cannot send
 *    an Authorization header).
 */
import type { Transport } from '../../shared/contract.ts';

declare global {
  interface Window {
    orgdesk?: Transport;
  }
}

const TOKEN_KEY = 'orgdesk.token';

/** Read the token from #token=... once, hide it from the address bar, keep it for reloads. */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([0-9a-fA-F]+)/.exec(location.hash);
  if (match) {
    const token = match[1]!;
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Storage disabled: the token still lives in memory for this page.
    }
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Thrown by HTTP calls that never got an answer (host stopped, network down). */
export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
}

type Listener = (payload: unknown) => void;

export function createHttpTransport(token: string | null, baseUrl = ''): Transport & { onReconnect(cb: () => void): void } {
  const listeners = new Map<string, Set<Listener>>();
  const reconnectListeners = new Set<() => void>();
  let started = false;

  const headers = (): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});

  function dispatch(frame: string) {
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue; // comment / heartbeat
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    for (const cb of listeners.get(event) ?? []) cb(payload);
  }

  async function streamEvents() {
    let delay = 1000;
    let connectedBefore = false;
    for (;;) {
      try {
        const res = await fetch(`${baseUrl}/events`, { headers: headers(), cache: 'no-store' });
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        if (connectedBefore) for (const cb of reconnectListeners) cb();
        connectedBefore = true;
        delay = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // Host gone or network down: try again below.
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  }

  return {
    async call(method, input) {
      let res: Response;
      try {
        res = await fetch(`${baseUrl}/rpc/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers() },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        throw new NetworkFailure(e instanceof Error ? e.message : String(e));
      }
      try {
        return (await res.json()) as unknown;
      } catch {
        throw new NetworkFailure(`HTTP ${res.status}`);
      }
    },
    subscribe(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      if (!started) {
        started = true;
        void streamEvents();
      }
      return () => set.delete(cb);
    },
    onReconnect(cb) {
      reconnectListeners.add(cb);
    },
  };
}

let transport: (Transport & { onReconnect?(cb: () => void): void }) | null = null;

export function getTransport(): Transport & { onReconnect?(cb: () => void): void } {
  if (!transport) transport = window.orgdesk ?? createHttpTransport(takeToken());
  return transport;
}
