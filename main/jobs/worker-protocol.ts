/** Messages between WorkerPackageJobs (main thread) and package-worker (worker thread). */
import type { ErrorCategory, ErrorTextRef } from '../errors/medseal-error.js';
import type { OpenJobResult, PackageJob } from '../services/package-runner.js';
import type { SealResult } from '../package/seal.js';

export type WorkerRequest =
  { type: 'start'; job: PackageJob } | { type: 'cancel' } | { type: 'temp-ack'; id: number; ok: boolean };

export type WorkerReply =
  | { type: 'progress'; bytesDone: number; bytesTotal: number }
  | { type: 'temp'; op: 'register' | 'release'; path: string; id: number }
  | { type: 'done'; result: SealResult | OpenJobResult }
  /** `reason`: for an internal error, its kind only (error name and system code, never a message), for the log. */
  | { type: 'error'; code: string; category: ErrorCategory; text: ErrorTextRef; reason?: string };
