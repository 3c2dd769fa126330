/**
 * Registers every contract channel with ipcMain, passing the sender frame
 * to the dispatcher, which refuses anything but our app's main frame.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Dispatch, SenderInfo } from '../ipc/dispatcher.js';
import { CHANNEL_PREFIX, CHANNELS } from '../ipc/contract.js';

export function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return { url: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame };
}

export function registerIpc(dispatch: Dispatch): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(`${CHANNEL_PREFIX}${channel}`, (event, payload: unknown) =>
      dispatch(channel, senderOf(event), payload),
    );
  }
}
