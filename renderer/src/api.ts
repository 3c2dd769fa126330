/**
 * The renderer's only way to the main process: the typed `window.medseal`
 * API from the preload. `call` returns the value or throws an AppError that
 * carries the code and the plain message main wrote for people.
 */
import type { AnswerOf, Channel, EventName, EventOf, RequestOf } from '../../main/ipc/contract.js';
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

export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf<C>> {
  const result = await window.medseal.call(channel, request);
  if (!result.ok) throw new AppError(result.error.code, result.error.category, result.error.message);
  return result.value;
}

export function on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
  return window.medseal.on(event, listener);
}

export function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : 'Something went wrong. Nothing was changed.';
}

export type { AnswerOf };
