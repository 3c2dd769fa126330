/**
 * Validates and routes every IPC call (VS Code's validated-IPC pattern):
 * unknown channel, a sender that is not our app's main frame, or a request
 * that does not match the contract is refused before any handler runs.
 * Answers are checked against the contract too, and errors become typed
 * codes with plain messages: no stack, no system text, no key material.
 * The shell registers it with ipcMain; the renderer e2e tests call the same
 * function through Playwright's exposeBinding.
 */
import { isMedSealError, type ErrorCategory } from '../errors/medseal-error.js';
import { CONTRACT, type AnswerOf, type Channel, type IpcResult } from './contract.js';
import { errorText } from '../texts/errors/error-text.js';
import type { z } from 'zod';

export interface SenderInfo {
  /** URL of the frame that sent the call. */
  readonly url: string | undefined;
  /** True only for the top-level frame of our window. */
  readonly isMainFrame: boolean;
}

export type Handlers = { [C in Channel]: (request: z.output<(typeof CONTRACT)[C]['request']>) => Promise<AnswerOf<C>> };

export type Dispatch = (channel: string, sender: SenderInfo, payload: unknown) => Promise<IpcResult<unknown>>;

const fail = (code: string, message: string, category: ErrorCategory = 'usage'): IpcResult<never> => ({
  ok: false,
  error: { code, category, message },
});

/**
 * Only the main frame of our app's own origin: the scheme and host must be exactly ours. An
 * opaque origin ("null": file:, data:, about:blank, any non-special scheme) never matches,
 * not even another opaque one — URL.origin would call all of them equal.
 */
export function isTrustedSender(sender: SenderInfo, origin: string): boolean {
  if (!sender.isMainFrame || !sender.url) return false;
  try {
    const from = new URL(sender.url);
    const ours = new URL(origin);
    return (
      ours.host !== '' &&
      from.protocol === ours.protocol &&
      from.host === ours.host &&
      from.username === '' &&
      from.password === ''
    );
  } catch (error) {
    if (error instanceof TypeError) return false; // not a URL at all (new URL throws TypeError): not ours
    throw error;
  }
}

export interface DispatcherOptions {
  readonly origin: string;
  /** Runs before the lock check and the handler; throws a MedSealError to refuse the call (a broken policy file). */
  readonly precondition?: (channel: Channel) => void;
  /** Whether an identity is unlocked: calls the contract marks 'unlocked' are refused (LOCKED) otherwise, before any handler runs. */
  readonly isUnlocked: () => boolean;
  readonly onInternalError?: (channel: string, error: unknown) => void;
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions): Dispatch {
  return async (channel, sender, payload) => {
    if (!Object.hasOwn(CONTRACT, channel)) return fail('IPC_UNKNOWN_CHANNEL', 'This action is not available.');
    const name = channel as Channel;
    if (!isTrustedSender(sender, options.origin))
      return fail('IPC_FORBIDDEN_SENDER', 'This request did not come from the MedSeal window and was refused.');
    const request = CONTRACT[name].request.safeParse(payload ?? {});
    if (!request.success) return fail('IPC_INVALID_REQUEST', 'The request was not valid and was refused.');
    try {
      options.precondition?.(name);
    } catch (error) {
      if (isMedSealError(error)) return fail(error.code, error.userMessage, error.category);
      throw error;
    }
    if (CONTRACT[name].access === 'unlocked' && !options.isUnlocked()) return fail('LOCKED', errorText('LOCKED'));
    try {
      const handler = handlers[name] as (request: unknown) => Promise<unknown>;
      const answer = CONTRACT[name].answer.safeParse(await handler(request.data));
      if (!answer.success) {
        options.onInternalError?.(name, new Error('answer does not match the contract'));
        return fail('INTERNAL', errorText('INTERNAL'), 'internal');
      }
      return { ok: true, value: answer.data };
    } catch (error) {
      if (isMedSealError(error)) return fail(error.code, error.userMessage, error.category);
      options.onInternalError?.(name, error);
      return fail('INTERNAL', errorText('INTERNAL'), 'internal');
    }
  };
}
