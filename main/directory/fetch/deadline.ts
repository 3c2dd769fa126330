/**
 * One time limit for a whole fetch (connecting, TLS, every redirect, the
 * body) together with the caller's cancel signal: a partner's server that
 * answers slowly, or trickles bytes, must not hold a background refresh for
 * ever. It tells the two apart, because a timeout is the server's fault
 * (DIRECTORY_SOURCE_UNREACHABLE, 'timeout') and a cancel is the person's.
 */
import { OperationCancelled } from '../../errors/usage-error.js';
import { DirectorySourceUnreachable } from './errors.js';

export interface Deadline {
  /** Aborted when the time is up or the caller cancelled. */
  readonly signal: AbortSignal;
  /** The error to report once `signal` is aborted: timeout or OperationCancelled. */
  failure(): Error;
  /** Rejects with failure() when the signal aborts, else settles as `work` does. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Stops the timer. */
  dispose(): void;
}

export function startDeadline(
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  timedOut: () => DirectorySourceUnreachable,
): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, timeoutMs);
  const onCancel = () => controller.abort();
  if (callerSignal?.aborted) controller.abort();
  else callerSignal?.addEventListener('abort', onCancel, { once: true });
  const failure = () => (expired ? timedOut() : new OperationCancelled());
  return {
    signal: controller.signal,
    failure,
    race<T>(work: Promise<T>): Promise<T> {
      if (controller.signal.aborted) return Promise.reject(failure());
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(failure());
        controller.signal.addEventListener('abort', onAbort, { once: true });
        work.then(
          (value) => {
            controller.signal.removeEventListener('abort', onAbort);
            resolve(value);
          },
          (error: unknown) => {
            controller.signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCancel);
    },
  };
}
