/**
 * The sandboxed preload: the renderer's only door to the app. Exposes window.orgdesk with exactly
 * two functions (the contract's Transport) and never ipcRenderer itself or an IpcRendererEvent
 * (Electron security item 20). Bundled by electron-vite into one CommonJS file whose only require is
 * 'electron', as sandboxed preloads need.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../main/shell/channels.ts';
import type { Transport } from '../shared/contract.ts';

const api = {
  call(method: string, input: unknown): Promise<unknown> {
    return ipcRenderer.invoke(RPC_CHANNEL, method, input);
  },
  subscribe(event: string, cb: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || typeof cb !== 'function') throw new TypeError('subscribe(event: string, cb: function)');
    const listener = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) cb(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
} satisfies Transport;

contextBridge.exposeInMainWorld('orgdesk', api);
