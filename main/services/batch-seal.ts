/**
 * Sealing many packages with one unlock (`medseal seal --batch`): a manifest
 * of JSON lines, each `{"files": [...], "to": [...], "noteFile": "…",
 * "output": "….medseal"}` (relative paths from the manifest's folder). Each
 * line is checked and sealed on its own through SendService, with every
 * rule of a single seal; one failure does not stop the rest, and each
 * outcome is reported as soon as it is known.
 */
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { isMedSealError, type ErrorCategory } from '../errors/medseal-error.js';
import { MAX_FILES, MAX_RECIPIENTS } from '../package/format.js';
import { parseStrictJson } from '../validation/strict-json.js';
import { InvalidBatchLine } from './errors.js';
import { classicalOnly } from './recipients.js';
import type { SealResult } from '../package/seal.js';
import type { RunningJob } from './package-runner.js';
import type { SendService } from './send.js';
import { classicalOnlyText } from '../texts/protection-texts.js';
import { contactLabel } from '../texts/contact-texts.js';

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
    }
  | {
      readonly line: number;
      readonly ok: false;
      readonly code: string;
      readonly category: ErrorCategory;
      readonly message: string;
    };

export interface BatchOptions {
  /** The manifest's folder: relative paths in it are taken from there. */
  readonly folder: string;
  readonly requireVerified: boolean;
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
      options.onOutcome({
        line,
        ok: true,
        output: request.output,
        packageHash: result.packageHash,
        formatVersion: result.formatVersion,
        fileCount: result.fileCount,
        totalBytes: result.totalBytes,
        warnings,
      });
    } catch (error) {
      if (!isMedSealError(error) || error.category === 'cancelled') throw error; // an internal fault or Ctrl-C stops the batch
      failed++;
      options.onOutcome({ line, ok: false, code: error.code, category: error.category, message: error.userMessage });
    }
  }
  return failed;
}
