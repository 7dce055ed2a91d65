// The preload: runs sandboxed, with context isolation, before the renderer. It exposes exactly one
// function, `window.custodian.invoke`, forwarding to the single IPC channel; no Electron or Node
// object ever reaches the page. Only a constant and types are imported, to keep the bundle tiny.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_INVOKE_CHANNEL, type CustodianApi } from '../../shared/api';

const api = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, channel, input),
} satisfies CustodianApi;

contextBridge.exposeInMainWorld('custodian', api);
