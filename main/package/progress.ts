/** Progress reports and cancellation shared by sealing and opening. */
import { OperationCancelled } from '../errors/usage-error.js';

export interface Progress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface JobControl {
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new OperationCancelled();
}
