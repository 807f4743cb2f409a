/** The console's sync state, shared by the status bar, the panel and the switcher's per-organization dots. */
import { useEffect } from 'react';
import { useApiQuery } from '../api/hooks.ts';
import { api } from '../api/client.ts';

/** Polled every 2 s (cheap: a few counts) so "waiting", "syncing" and errors stay current. */
export function useSyncStatus() {
  return useApiQuery('sync.status', {}, { refetchInterval: 2000, staleTime: 1000 });
}

/** Returning to the window pulls what changed on the Portal meanwhile. */
export function useSyncOnFocus(connected: boolean) {
  useEffect(() => {
    if (!connected) return;
    const onFocus = () => void api.call('sync.now', { wait: false }).catch(() => undefined);
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [connected]);
}
