/** `medseal seal | open | inspect` */
import type { Command } from 'commander';
import { mkdir, rmdir } from 'node:fs/promises';
import { UntrustedSender } from '../../contacts/errors.js';
import type { SenderTrust } from '../../contacts/contact-record.js';
import { toIoError } from '../../errors/io-error.js';
import { UsageError } from '../../errors/usage-error.js';
import { inspectPackage } from '../../package/inspect.js';
import { openPackage, type OpenedPackage } from '../../package/open.js';
import { isMedSealError } from '../../errors/medseal-error.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { CliContext } from '../context.js';
import type { TempFileRegistry } from '../../fs/temp-file-registry.js';
import type { Progress } from '../../package/progress.js';
import { sealPackage } from '../../package/seal.js';
import { cardJson, describeCard, formatBytes } from '../format-text.js';
import type { Handle } from './identity.js';
import { readTextInput } from '../read-input.js';

const TRUST_TEXT: Record<SenderTrust['kind'], string> = {
  verified: 'VERIFIED contact',
  'org-verified': 'VERIFIED by your organisation',
  unverified: 'contact NOT YET VERIFIED',
  'key-changed': 'contact whose keys CHANGED and are not re-verified',
  'key-mismatch': 'WARNING: NOT the keys you have for this e-mail address (possible impersonation)',
  unknown: 'UNKNOWN sender (not in your contacts)',
};

function progressPrinter(enabled: boolean): ((progress: Progress) => void) | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  let last = -1;
  return ({ bytesDone, bytesTotal }) => {
    const percent = bytesTotal === 0 ? 100 : Math.floor((bytesDone / bytesTotal) * 100);
    if (percent === last) return;
    last = percent;
    process.stderr.write(`\r${percent}%${percent === 100 ? '\n' : ''}`);
  };
}

/** Saves into `folder` (created if missing, and removed again if the open fails and it is empty). */
async function extractInto(opened: OpenedPackage, folder: string, context: CliContext, tempFiles: TempFileRegistry) {
  const created = await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw toIoError('the output folder', error);
  });
  try {
    return await opened.extractTo(folder, { onProgress: progressPrinter(!context.out.json), signal: context.signal, tempFiles });
  } catch (error) {
    if (created) await rmdir(folder).catch(() => undefined);
    throw error;
  }
}

export function registerPackageCommands(program: Command, handle: Handle): void {
  const seal = program
    .command('seal')
    .description('seal files for one or more contacts into a .medseal package')
    .argument('<files...>')
    .requiredOption('--to <contacts...>', 'recipients: e-mail or fingerprint prefix')
    .requiredOption('-o, --output <file>', 'package to create (must not exist)')
    .option('--note <text>', 'a note for the recipients (encrypted; visible in process lists while sealing: prefer --note-file)')
    .option('--note-file <file>', 'read the note from a file, or from stdin with -')
    .option('--require-verified', 'refuse recipients whose safety number was not compared');
  handle(seal, async (context) => {
    const options = seal.opts<{ to: string[]; output: string; note?: string; noteFile?: string; requireVerified?: boolean }>();
    if (options.note !== undefined && options.noteFile) throw new UsageError('Give either --note or --note-file, not both.');
    const note = options.noteFile ? await readTextInput(options.noteFile, 'the note file') : (options.note ?? '');
    const profile = await context.unlock();
    const policy = await context.policy();
    const recipients = await profile.contacts.recipientsFor(options.to, Boolean(options.requireVerified) || policy.effective.requireVerifiedRecipients);
    policy.checkRecipientDomains(recipients.map((recipient) => recipient.card.profile.email));
    for (const [index, recipient] of recipients.entries()) {
      if (recipient.state === 'unverified') context.out.warn(`recipient ${index + 1} is not verified yet.`);
    }
    const result = await sealPackage({
      sender: profile.identity,
      recipients: recipients.map((recipient) => recipient.card),
      files: seal.args.map((path) => ({ path })),
      note,
      output: options.output,
      onProgress: progressPrinter(!context.out.json),
      signal: context.signal,
      tempFiles: profile.tempFiles,
    });
    profile.recordSealed(result, note);
    context.out.result({ sealed: true, ...result, files: undefined }, () => [
      `Sealed ${result.fileCount} file(s), ${formatBytes(result.totalBytes)}, for ${recipients.length} recipient(s).`,
      ...recipients.map((recipient) => `  to ${describeCard(recipient.card)} [${recipient.state}]`),
    ]);
  });

  const openCommand = program
    .command('open')
    .description('verify a package, show its sender, and save its files into a folder')
    .argument('<package>')
    .requiredOption('-o, --output <folder>', 'folder to save the files in (created if missing)')
    .option('--require-verified', 'save nothing unless the sender is a verified contact');
  handle(openCommand, async (context) => {
    const options = openCommand.opts<{ output: string; requireVerified?: boolean }>();
    const profile = await context.unlock();
    let sender: string | undefined;
    try {
      const opened = await openPackage(openCommand.args[0]!, profile.identity);
      try {
        const { files, note, createdAt } = opened.metadata;
        sender = fingerprintHex(opened.metadata.sender.fingerprint);
        const trust = await profile.contacts.trustOf(opened.metadata.sender);
        if (!context.out.json) process.stdout.write(`From: ${describeCard(opened.metadata.sender)} — ${TRUST_TEXT[trust.kind]}\n`);
        if (options.requireVerified && trust.kind !== 'verified' && trust.kind !== 'org-verified') throw new UntrustedSender(trust.kind);
        if (trust.kind === 'key-mismatch') context.out.warn(TRUST_TEXT[trust.kind]);
        const result = await extractInto(opened, options.output, context, profile.tempFiles);
        profile.recordOpened(opened, trust);
        context.out.result(
          {
            sender: { ...cardJson(opened.metadata.sender), trust: trust.kind },
            createdAt,
            files: files.map((file, index) => ({ ...file, path: result.paths[index] })),
            note,
          },
          () => [
            `Sealed: ${createdAt}`,
            ...files.map((file) => `  ${file.name} (${formatBytes(file.size)})`),
            ...(note ? ['Note:', note] : []),
            `All ${files.length} file(s) verified and saved.`,
          ],
        );
      } finally {
        await opened.close();
      }
    } catch (error) {
      if (isMedSealError(error)) profile.recordOpenRefused(error.code, sender);
      throw error;
    }
  });

  const inspect = program.command('inspect').description('show what anyone can see of a package without a key').argument('<package>');
  handle(inspect, async (context) => {
    const info = await inspectPackage(inspect.args[0]!);
    context.out.result(info, () => [
      `MedSeal package, format version ${info.formatVersion}`,
      `Recipients:    ${info.recipientCount}`,
      `Package size:  ${formatBytes(info.packageBytes)}`,
      `Content size:  ${info.contentBytes === null ? 'unknown (package incomplete)' : formatBytes(info.contentBytes)}`,
      `Chunk size:    ${formatBytes(info.chunkSizeBytes)}`,
      'Everything else (sender, file names, note) is encrypted.',
    ]);
  });
}
