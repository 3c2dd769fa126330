/**
 * The renderer's only way to the main process: the typed `window.medseal`
 * API from the preload. `call` (and `registerDropped`, for a file dropped on
 * the window) returns the value or throws an AppError that carries the code
 * and the plain message main wrote for people.
 */
import type { AnswerOf, Channel, EventName, EventOf, IpcResult, RequestOf } from '../../main/ipc/contract.js';
import type { MedSealApi } from '../../main/ipc/preload-api.js';

declare global {
  interface Window {
    medseal: MedSealApi;
  }
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly category: string,
    message: string,
  ) {
    super(message);
  }
}

function valueOf<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new AppError(result.error.code, result.error.category, result.error.message);
  return result.value;
}

export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf<C>> {
  return valueOf(await window.medseal.call(channel, request));
}

/** Hands a file dropped on the window to main, which checks its path; the renderer never sees the path. */
export async function registerDropped(file: File): Promise<AnswerOf<'files.registerDropped'>> {
  return valueOf(await window.medseal.registerDroppedFile(file));
}

export function on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
  return window.medseal.on(event, listener);
}

export function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : 'Something went wrong. Nothing was changed.';
}

export type { AnswerOf };
/** A contact as the contact book lists it (Send, Contacts and their parts). */
export type Contact = AnswerOf<'contacts.list'>[number];
