import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../stubs/electron-double.ts')).electronModule);

import { electron, resetElectron, FakeEvent } from '../../stubs/electron-double.ts';

interface Exposed {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
}

async function loadPreload(): Promise<Exposed> {
  vi.resetModules();
  await import('../../../preload/index.ts');
  return electron.contextBridge.exposed.get('orgdesk') as Exposed;
}

beforeEach(() => resetElectron());

describe('preload', () => {
  it('exposes exactly window.orgdesk = { call, subscribe } and nothing else', async () => {
    const api = await loadPreload();
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['orgdesk']);
    expect(Object.keys(api).sort()).toEqual(['call', 'subscribe']);
    expect(typeof api.call).toBe('function');
    expect(typeof api.subscribe).toBe('function');
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
  });

  it('call(method, input) is ipcRenderer.invoke on orgdesk:rpc and resolves to the reply', async () => {
    const api = await loadPreload();
    electron.ipcRenderer.invokeResult = { ok: true, value: { items: [] } };
    const input = { query: 'acme' };
    await expect(api.call('org.search', input)).resolves.toEqual({ ok: true, value: { items: [] } });
    expect(electron.ipcRenderer.invoked).toEqual([['orgdesk:rpc', 'org.search', input]]);
  });

  it('subscribe(event, cb) delivers only that event, only its payload, never the IpcRendererEvent', async () => {
    const api = await loadPreload();
    const got: unknown[][] = [];
    api.subscribe('data.changed', (...args: unknown[]) => got.push(args));
    const ipcEvent = new FakeEvent({ sender: electron.ipcRenderer, senderId: 0, ports: [] });
    electron.ipcRenderer.emit('orgdesk:event', ipcEvent, 'data.changed', { orgIds: ['o1'], entities: ['org'] });
    electron.ipcRenderer.emit('orgdesk:event', ipcEvent, 'job:42', { done: 1 });
    electron.ipcRenderer.emit('some-other-channel', ipcEvent, 'data.changed', { leaked: true });
    expect(got).toEqual([[{ orgIds: ['o1'], entities: ['org'] }]]);
    for (const args of got) for (const arg of args) expect(arg).not.toBe(ipcEvent);
  });

  it('the returned function unsubscribes', async () => {
    const api = await loadPreload();
    const got: unknown[] = [];
    const off = api.subscribe('data.changed', (p) => got.push(p));
    expect(electron.ipcRenderer.listenerCount('orgdesk:event')).toBe(1);
    off();
    expect(electron.ipcRenderer.listenerCount('orgdesk:event')).toBe(0);
    electron.ipcRenderer.emit('orgdesk:event', new FakeEvent(), 'data.changed', {});
    expect(got).toEqual([]);
  });

  it('refuses a subscribe without a string event name or a callback', async () => {
    const api = await loadPreload();
    expect(() => api.subscribe(42 as unknown as string, () => undefined)).toThrow(TypeError);
    expect(() => api.subscribe('data.changed', 'nope' as unknown as () => void)).toThrow(TypeError);
    expect(electron.ipcRenderer.listenerCount('orgdesk:event')).toBe(0);
  });
});
