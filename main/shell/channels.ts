/**
 * The two IPC channel names, shared by main/shell/ipc.ts and preload/index.ts (which bundles this
 * file into its single sandboxed script). Plain constants: no Electron, no Node.
 */
/** renderer -> main: ipcRenderer.invoke(RPC_CHANNEL, method, input) -> RpcResult */
export const RPC_CHANNEL = 'orgdesk:rpc';
/** main -> renderer: webContents.send(EVENT_CHANNEL, eventName, payload) */
export const EVENT_CHANNEL = 'orgdesk:event';
