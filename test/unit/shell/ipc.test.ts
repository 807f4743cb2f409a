import { events } from '../../../shared/contract.ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../stubs/electron-double.ts')).electronModule);

import type { IpcMain } from 'electron';
import { electron, resetElectron, FakeWebContents } from '../../stubs/electron-double.ts';
import type { RpcResult } from '../../../shared/model/errors.ts';
import type { CoreClient } from '../../../main/core/worker/core-client.ts';
import { EVENT_CHANNEL, RPC_CHANNEL, createRpcHandler, forwardCoreEvents, isTrustedSender, registerRpc } from '../../../main/shell/ipc.ts';
import { createUrlPolicy, isAppUrl } from '../../../main/shell/security.ts';

/** A core that records calls and answers like the real one would. */
function fakeCore(answer: (method: string, input: unknown) => RpcResult = () => ({ ok: true, value: { answered: true } })) {
  const calls: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const core: CoreClient = {
    async call(method, input) {
      calls.push([method, input]);
      return answer(method, input);
    },
    subscribe(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
    async close() {},
  };
  const emit = (event: string, payload: unknown) => {
    for (const cb of listeners.get(event) ?? []) cb(payload);
  };
  return { core, calls, emit, listeners };
}

const topFrame = (url: string) => ({ senderFrame: { url, parent: null } });
const subFrame = (url: string) => ({ senderFrame: { url, parent: { url: 'app://bundle/index.html', parent: null } } });
type Sender = Parameters<ReturnType<typeof createRpcHandler>>[0];

beforeEach(() => resetElectron());

describe('isTrustedSender', () => {
  it('accepts the top frame of the app bundle only', () => {
    expect(isTrustedSender(topFrame('app://bundle/index.html') as unknown as Sender, isAppUrl)).toBe(true);
    expect(isTrustedSender(topFrame('https://evil.example/') as unknown as Sender, isAppUrl)).toBe(false);
    expect(isTrustedSender(topFrame('app://evil/index.html') as unknown as Sender, isAppUrl)).toBe(false);
    expect(isTrustedSender(subFrame('app://bundle/index.html') as unknown as Sender, isAppUrl)).toBe(false);
    expect(isTrustedSender({ senderFrame: null } as unknown as Sender, isAppUrl)).toBe(false);
  });
  it('treats a frame that throws on access (already gone) as untrusted', () => {
    const gone = { senderFrame: { get url(): string { throw new Error('Render frame was disposed'); }, parent: null } };
    expect(isTrustedSender(gone as unknown as Sender, isAppUrl)).toBe(false);
  });
});

describe('orgdesk:rpc handler', () => {
  it('is registered on exactly one channel, orgdesk:rpc', () => {
    const { core } = fakeCore();
    registerRpc(electron.ipcMain as unknown as IpcMain, core, isAppUrl);
    expect([...electron.ipcMain.handlers.keys()]).toEqual([RPC_CHANNEL]);
    expect(RPC_CHANNEL).toBe('orgdesk:rpc');
  });

  it('dispatches an app-frame call to the core and returns its RpcResult unchanged', async () => {
    const reply: RpcResult = { ok: false, error: { code: 'NOT_FOUND', message: 'gone', key: 'common.not_found' } };
    const { core, calls } = fakeCore(() => reply);
    registerRpc(electron.ipcMain as unknown as IpcMain, core, isAppUrl);
    const handler = electron.ipcMain.handlers.get(RPC_CHANNEL) as unknown as (...a: unknown[]) => Promise<RpcResult>;
    const input = { id: 'org-1' };
    const result = await handler(topFrame('app://bundle/index.html'), 'org.get', input);
    expect(result).toBe(reply);
    expect(calls).toEqual([['org.get', input]]);
  });

  it('refuses another origin, a subframe and a missing frame with FORBIDDEN, without reaching the core', async () => {
    const { core, calls } = fakeCore();
    const handle = createRpcHandler(core, isAppUrl);
    for (const event of [
      topFrame('https://evil.example/'),
      topFrame('file:///tmp/x.html'),
      topFrame('http://localhost:5173/'),
      subFrame('app://bundle/index.html'),
      { senderFrame: null },
    ]) {
      const result = await handle(event as unknown as Sender, 'org.tree', {});
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('FORBIDDEN');
    }
    expect(calls).toEqual([]);
  });

  it('trusts the dev server only with the dev policy', async () => {
    const { core, calls } = fakeCore();
    const handle = createRpcHandler(core, createUrlPolicy('http://localhost:5173'));
    expect((await handle(topFrame('http://localhost:5173/') as unknown as Sender, 'org.tree', {})).ok).toBe(true);
    expect((await handle(topFrame('http://localhost:5999/') as unknown as Sender, 'org.tree', {})).ok).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('answers UNKNOWN_METHOD for a method that is not a string, without reaching the core', async () => {
    const { core, calls } = fakeCore();
    const handle = createRpcHandler(core, isAppUrl);
    for (const method of [undefined, null, 42, { toString: () => 'org.tree' }, ['org.tree'], '', 'x'.repeat(201)]) {
      const result = await handle(topFrame('app://bundle/index.html') as unknown as Sender, method, {});
      expect(!result.ok && result.error.code, String(method)).toBe('UNKNOWN_METHOD');
    }
    expect(calls).toEqual([]);
  });

  it('passes any input shape through to the core, which validates it against the contract', async () => {
    const { core, calls } = fakeCore((_m, input) =>
      input !== null && typeof input === 'object' && 'id' in input
        ? { ok: true, value: 'fine' }
        : { ok: false, error: { code: 'BAD_INPUT', message: 'Some fields need attention.' } },
    );
    const handle = createRpcHandler(core, isAppUrl);
    for (const input of [undefined, null, 'text', 7, [1, 2], { nested: { deep: true } }]) {
      const result = await handle(topFrame('app://bundle/index.html') as unknown as Sender, 'org.get', input);
      expect(!result.ok && result.error.code).toBe('BAD_INPUT');
    }
    expect(calls.map(([, i]) => i)).toEqual([undefined, null, 'text', 7, [1, 2], { nested: { deep: true } }]);
  });

  it('turns a core that throws into an INTERNAL RpcResult instead of a rejected invoke', async () => {
    const core: Pick<CoreClient, 'call'> = { call: () => Promise.reject(new Error('worker exploded at /home/x')) };
    const result = await createRpcHandler(core, isAppUrl)(topFrame('app://bundle/index.html') as unknown as Sender, 'org.tree', {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INTERNAL');
    expect(!result.ok && result.error.message).not.toContain('/home/x');
  });

  it('unregisters the channel', () => {
    const { core } = fakeCore();
    const stop = registerRpc(electron.ipcMain as unknown as IpcMain, core, isAppUrl);
    stop();
    expect(electron.ipcMain.handlers.size).toBe(0);
  });
});

describe('event forwarding', () => {
  it("sends every contract event to every live app window as ('orgdesk:event', name, payload)", () => {
    const { core, emit } = fakeCore();
    const a = new FakeWebContents();
    a.url = 'app://bundle/index.html';
    const b = new FakeWebContents();
    b.url = 'app://bundle/index.html#/orgs';
    const dead = new FakeWebContents();
    dead.url = 'app://bundle/index.html';
    dead.destroyed = true;
    const foreign = new FakeWebContents();
    foreign.url = 'https://evil.example/';
    forwardCoreEvents(core, () => [a, b, dead, foreign], isAppUrl);

    const payload = { orgIds: ['o1'], entities: ['organization'] };
    emit('data.changed', payload);
    expect(a.sent).toEqual([[EVENT_CHANNEL, 'data.changed', payload]]);
    expect(b.sent).toEqual([[EVENT_CHANNEL, 'data.changed', payload]]);
    expect(dead.sent).toEqual([]);
    expect(foreign.sent).toEqual([]);
  });

  it('subscribes to the contract events and stops forwarding when asked', () => {
    const { core, emit, listeners } = fakeCore();
    const a = new FakeWebContents();
    a.url = 'app://bundle/index.html';
    const stop = forwardCoreEvents(core, () => [a], isAppUrl);
    expect([...listeners.keys()]).toEqual(Object.keys(events));
    stop();
    emit('data.changed', { orgIds: [], entities: [] });
    expect(a.sent).toEqual([]);
  });
});
