/**
 * Sealing many packages with one unlock (`medseal seal --batch`): a manifest
 * of JSON lines, each `{"files": [...], "to": [...], "noteFile": "…",
 * "output": "….medseal"}` (relative paths from the manifest's folder). Each
 * line is checked and sealed on its own through SendService, with every
 * rule of a single seal; one failure does not stop the rest, and each
 * outcome is reported as soon as it is known. With a delivery queue
 * (`--deliver`), each package is delivered as the hot folder does it:
 * queued when its exchange is down, a failure of its line when a host key
 * changed or no exchange reaches a recipient (the package stays sealed).
 */
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { isMedSealError, type ErrorCategory, type MedSealError } from '../errors/medseal-error.js';
import { MAX_FILES, MAX_RECIPIENTS } from '../package/format.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { InvalidBatchLine } from './errors.js';
import { classicalOnly } from './recipients.js';
import type { SealResult } from '../package/seal.js';
import type { RunningJob } from './package-runner.js';
import type { SendService } from './send.js';
import { classicalOnlyText } from '../texts/protection-texts.js';
import { contactLabel } from '../texts/contact-texts.js';
import { nextTryText, queuedText } from '../texts/queue-texts.js';
import type { DeliveryQueue } from './delivery/delivery-queue.js';
import { deliveryFailure } from './delivery/delivery-failure.js';
import { fingerprintHex } from '../identity/fingerprint.js';

const BatchLineSchema = z.strictObject({
  files: z.array(z.string().min(1).max(4096)).min(1).max(MAX_FILES),
  to: z.array(z.string().min(1).max(320)).min(1).max(MAX_RECIPIENTS),
  noteFile: z.string().min(1).max(4096).optional(),
  output: z.string().min(1).max(4096),
});

export type BatchOutcome =
  | {
      readonly line: number;
      readonly ok: true;
      readonly output: string;
      readonly packageHash: string;
      readonly formatVersion: number;
      readonly fileCount: number;
      readonly totalBytes: number;
      readonly warnings: readonly string[];
      /** With --deliver: where it went, and what waits in the delivery queue (tried again automatically). */
      readonly delivery?: BatchDelivery;
    }
  | {
      readonly line: number;
      readonly ok: false;
      readonly code: string;
      readonly category: ErrorCategory;
      readonly message: string;
      /** Sealed but not delivered (--deliver): the package is there all the same. */
      readonly output?: string;
      readonly packageHash?: string;
    };

export interface BatchDelivery {
  readonly delivered: readonly { readonly recipient: string; readonly exchange: string }[];
  readonly queued: readonly { readonly recipient: string; readonly exchange: string; readonly nextTryAt: string }[];
}

export interface BatchOptions {
  /** The manifest's folder: relative paths in it are taken from there. */
  readonly folder: string;
  readonly requireVerified: boolean;
  /** Chunk worker threads asked for (`--workers N`), for every package of the batch. */
  readonly workers?: number;
  /** Deliver each package once sealed (`--deliver`). */
  readonly queue?: DeliveryQueue;
  readonly readNote: (path: string) => Promise<string>;
  /** Waits for a job (the CLI cancels it on Ctrl-C). */
  readonly untilDone: (job: RunningJob<SealResult>) => Promise<SealResult>;
  readonly onOutcome: (outcome: BatchOutcome) => void;
}

/** Seals every line of `manifest` in order; returns how many failed. */
export async function sealBatch(send: SendService, manifest: string, options: BatchOptions): Promise<number> {
  let failed = 0;
  const resolve = (path: string) => (isAbsolute(path) ? path : join(options.folder, path));
  for (const [index, text] of manifest.split(/\r?\n/).entries()) {
    if (text.trim() === '') continue;
    const line = index + 1;
    try {
      const parsed = parseStrictJson(text, BatchLineSchema);
      if (!parsed.ok) throw new InvalidBatchLine(parsed.problem);
      const request = parsed.value;
      const note = request.noteFile ? await options.readNote(resolve(request.noteFile)) : '';
      const prepared = await send.prepare({
        files: request.files.map((path) => ({ path: resolve(path) })),
        recipients: request.to,
        note,
        confirmUnverified: true,
        requireVerified: options.requireVerified,
        workers: options.workers,
      });
      const warnings = [
        ...prepared.recipients.flatMap((contact) =>
          contact.state === 'unverified' ? [`${contactLabel(contact.card.profile)} is not verified yet.`] : [],
        ),
        ...(classicalOnly(prepared.recipients).length > 0
          ? [classicalOnlyText(classicalOnly(prepared.recipients).map((contact) => contact.card.profile.name))]
          : []),
      ];
      const result = await options.untilDone(send.start(prepared, resolve(request.output)));
      const nameOf = (fingerprint: string) =>
        contactLabel(
          prepared.recipients.find((contact) => fingerprintHex(contact.card.fingerprint) === fingerprint)!.card.profile,
        );
      const delivered = options.queue && (await deliver(options.queue, resolve(request.output), result, nameOf));
      if (delivered && 'failure' in delivered) {
        failed++;
        const { failure } = delivered;
        options.onOutcome({
          line,
          ok: false,
          code: failure.code,
          category: failure.category,
          message: failure.userMessage,
          output: request.output,
          packageHash: result.packageHash,
        });
        continue;
      }
      const delivery = delivered?.delivery;
      warnings.push(...(delivered?.warnings ?? []));
      options.onOutcome({
        line,
        ok: true,
        output: request.output,
        packageHash: result.packageHash,
        formatVersion: result.formatVersion,
        fileCount: result.fileCount,
        totalBytes: result.totalBytes,
        warnings,
        ...(delivery ? { delivery } : {}),
      });
    } catch (error) {
      if (!isMedSealError(error) || error.category === 'cancelled') throw error; // an internal fault or Ctrl-C stops the batch
      failed++;
      options.onOutcome({ line, ok: false, code: error.code, category: error.category, message: error.userMessage });
    }
  }
  return failed;
}

/** Delivers one sealed package of the batch: the error its line fails with, or where it went and the queued warnings. */
async function deliver(
  queue: DeliveryQueue,
  path: string,
  result: SealResult,
  nameOf: (fingerprint: string) => string,
): Promise<{ failure: MedSealError } | { delivery: BatchDelivery; warnings: string[] }> {
  const sent = await queue.send(path, result.packageHash, result.recipientFingerprints);
  const failure = deliveryFailure(sent.problems, sent.unreached.map(nameOf));
  if (failure) return { failure };
  const warnings = [...new Set(sent.queued.map((entry) => entry.recipient))].map((recipient) => {
    const entry = sent.queued.find((queued) => queued.recipient === recipient)!;
    return queuedText(nameOf(recipient), entry.exchange, nextTryText(entry.nextTryAt));
  });
  return {
    delivery: {
      delivered: sent.delivered.map(({ recipient, exchange }) => ({ recipient, exchange })),
      queued: sent.queued.map(({ recipient, exchange, nextTryAt }) => ({ recipient, exchange, nextTryAt })),
    },
    warnings,
  };
}
