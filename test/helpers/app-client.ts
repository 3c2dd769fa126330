/** Calls the app core's dispatcher as the MedSeal window would (our origin, main frame). */
import type { MedSealApp } from '../../main/app/medseal-app.js';
import type { IpcResult } from '../../main/ipc/contract.js';
import type { SenderInfo } from '../../main/ipc/dispatcher.js';

export const TEST_ORIGIN = 'medseal-app://ui';
export const WINDOW: SenderInfo = { url: `${TEST_ORIGIN}/index.html`, isMainFrame: true };

export function clientFor(app: MedSealApp) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by the contract; tests read them freely
  const call = async <T = any>(channel: string, payload: unknown = {}, sender: SenderInfo = WINDOW): Promise<T> => {
    const result = (await app.dispatch(channel, sender, payload)) as IpcResult<T>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  };
  const attempt = (channel: string, payload: unknown = {}, sender: SenderInfo = WINDOW) =>
    app.dispatch(channel, sender, payload);
  return { call, attempt };
}
