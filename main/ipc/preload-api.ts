/**
 * The shape of `window.medseal`, the only API the renderer has, and the
 * channel names it uses. The preload builds it; the renderer imports the
 * types. No Electron import here.
 */
import type { AnswerOf, Channel, EventName, EventOf, IpcResult, RequestOf } from './contract.js';

export const EVENT_PREFIX = 'medseal-event:';

export interface MedSealApi {
  /** Calls one contract channel; resolves to a value or a typed error, never throws for app errors. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<IpcResult<AnswerOf<C>>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  /** Hands a dropped File to main, which checks its path; the renderer never sees the path. */
  registerDroppedFile(file: File): Promise<IpcResult<AnswerOf<'files.registerDropped'>>>;
}
