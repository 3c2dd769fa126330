/** Messages between WorkerTransport (main thread) and transport-worker (its worker thread). */
import type { ErrorCategory, ErrorTextRef } from '../errors/medseal-error.js';
import type { TransportConfig } from '../exchange/transport-config.js';

export type TransportMethod =
  | 'binding'
  | 'claimInbox'
  | 'hasInbox'
  | 'announcement'
  | 'announce'
  | 'deliver'
  | 'waiting'
  | 'fetch'
  | 'archive'
  | 'withdraw'
  | 'close';

export type TransportRequest =
  | { readonly type: 'open'; readonly config: TransportConfig }
  | { readonly type: 'call'; readonly id: number; readonly method: TransportMethod; readonly args: readonly unknown[] };

export type TransportReply =
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly code: string;
      readonly category: ErrorCategory;
      readonly text: ErrorTextRef;
    }
  | { readonly type: 'progress'; readonly id: number; readonly sentBytes: number };
