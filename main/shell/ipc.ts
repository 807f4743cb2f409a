/**
 * The Electron transport of the contract: ONE invoke channel (orgdesk:rpc) into the core worker and
 * ONE push channel (orgdesk:event) for contract events. Every call's sender is checked (Electron
 * security item 17): it must be the top frame of a page on the app's own origin. Inputs are parsed by
 * the core against the contract's zod schemas; this layer only refuses what is not even a call.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { RpcResult } from '../../shared/model/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import { events } from '../../shared/contract.ts';
import type { CoreClient } from '../core/worker/core-client.ts';
import { EVENT_CHANNEL, RPC_CHANNEL } from './channels.ts';
import type { UrlPolicy } from './security.ts';

export { EVENT_CHANNEL, RPC_CHANNEL };

const forbidden = (): RpcResult => ({
  ok: false,
  error: { code: 'FORBIDDEN', message: translate('common.forbidden'), key: 'common.forbidden' },
});

const unknownMethod = (method: string): RpcResult => ({
  ok: false,
  error: {
    code: 'UNKNOWN_METHOD',
    message: translate('common.unknown_method', { method }),
    key: 'common.unknown_method',
    params: { method },
  },
});

/** The sender frame exists, is the top frame (not an iframe) and shows the app's own content. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, isTrusted: UrlPolicy): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // navigated away or destroyed before the call arrived
  try {
    return frame.parent === null && isTrusted(frame.url);
  } catch {
    return false; // a frame that went away between the checks throws on access
  }
}

export type RpcHandler = (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, method: unknown, input: unknown) => Promise<RpcResult>;

export function createRpcHandler(core: Pick<CoreClient, 'call'>, isTrusted: UrlPolicy): RpcHandler {
  return async (event, method, input) => {
    if (!isTrustedSender(event, isTrusted)) return forbidden();
    if (typeof method !== 'string' || method.length === 0 || method.length > 200) {
      return unknownMethod(typeof method === 'string' ? method.slice(0, 200) : typeof method);
    }
    try {
      return await core.call(method, input);
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: translate('common.internal'), key: 'common.internal' } };
    }
  };
}

/** Register the RPC channel; returns a function that removes it. */
export function registerRpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, core: Pick<CoreClient, 'call'>, isTrusted: UrlPolicy): () => void {
  const handler = createRpcHandler(core, isTrusted);
  ipcMain.handle(RPC_CHANNEL, (event, method: unknown, input: unknown) => handler(event, method, input));
  return () => ipcMain.removeHandler(RPC_CHANNEL);
}

/**
 * Forward every contract event from the core to every live window that shows the app:
 * webContents.send('orgdesk:event', name, payload). A window that navigated elsewhere (it cannot,
 * see security.ts, but belt and braces) gets nothing. Returns a function that stops forwarding.
 */
export type EventTarget = Pick<WebContents, 'isDestroyed' | 'send' | 'getURL'>;

export function forwardCoreEvents(core: Pick<CoreClient, 'subscribe'>, targets: () => Iterable<EventTarget>, isTrusted: UrlPolicy): () => void {
  const stops = Object.keys(events).map((name) =>
    core.subscribe(name, (payload) => {
      for (const contents of targets()) {
        if (contents.isDestroyed() || !isTrusted(contents.getURL())) continue;
        contents.send(EVENT_CHANNEL, name, payload);
      }
    }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}
