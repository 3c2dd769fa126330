/**
 * `medseal identity recovery-kit | recover | backup | restore`: keeping an
 * identity through a forgotten passphrase and a new workstation (the
 * services do the work: recovery-kit.ts, backup.ts, restore.ts).
 */
import type { Command } from 'commander';
import { readFile, rm } from 'node:fs/promises';
import { toIoError } from '../../errors/io-error.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { writeBackup } from '../../services/backup.js';
import { makeRecoveryKit } from '../../services/recovery-kit.js';
import { restoreBackup, type BackupUnlock } from '../../services/restore.js';
import { describeCard, formatLocalTime } from '../format-text.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { obtainPassphrase } from '../passphrase.js';
import type { Handle } from './identity.js';

async function readCodeFile(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: unknown) => {
    throw toIoError('the recovery code file', error);
  });
}

function newPassphrase(file: string | undefined): Promise<string> {
  return obtainPassphrase({ file, envVar: 'MEDSEAL_NEW_PASSPHRASE', prompt: 'New passphrase: ', confirm: true });
}

export function registerContinuityCommands(identity: Command, handle: Handle): void {
  const kit = identity
    .command('recovery-kit')
    .description('make a printable recovery kit (24 words and a QR code); a previous kit stops working')
    .requiredOption('-o, --output <file>', 'the kit page to create (HTML, print it and delete the file)')
    .option('--code-out <file>', 'also write the bare code (one line of 24 words) to this new file');
  handle(kit, async (context) => {
    const options = kit.opts<{ output: string; codeOut?: string }>();
    await context.unlock();
    const { madeAt, replacedKitMadeAt } = await makeRecoveryKit(await context.session(), async ({ html, code }) => {
      await writeNewFile(options.output, html, 'the recovery kit');
      if (options.codeOut)
        await writeNewFile(options.codeOut, code, 'the recovery code').catch(async (error: unknown) => {
          await rm(options.output, { force: true });
          throw error;
        });
      return async () => {
        await rm(options.output, { force: true });
        if (options.codeOut) await rm(options.codeOut, { force: true });
      };
    });
    context.out.result({ created: true, madeAt, replacedKitMadeAt }, () => [
      'Recovery kit written. Print it, keep it locked away, and delete the file.',
      ...(replacedKitMadeAt
        ? [
            `Your earlier recovery kit (made ${formatLocalTime(replacedKitMadeAt)}) no longer unlocks this identity. Backups made before still open with it: delete copies you made yourself (automatic backups are replaced).`,
          ]
        : []),
    ]);
  });

  const recover = identity
    .command('recover')
    .description('set a new passphrase with the recovery code, when the passphrase is forgotten')
    .requiredOption('--code-file <file>', 'a file holding the 24 words of the recovery kit')
    .option(
      '--new-passphrase-file <file>',
      'read the new passphrase from this file (else MEDSEAL_NEW_PASSPHRASE or a prompt)',
    );
  handle(recover, async (context) => {
    const options = recover.opts<{ codeFile: string; newPassphraseFile?: string }>();
    await context.identities.publicCard();
    const code = await readCodeFile(options.codeFile);
    await (await context.session()).recover(code, await newPassphrase(options.newPassphraseFile));
    context.out.result({ recovered: true }, () => [
      'A new passphrase is set. The old passphrase no longer opens this identity; the recovery kit still does.',
    ]);
  });

  const backup = identity
    .command('backup')
    .description('write one encrypted backup of this profile (keys, contacts, history, audit log, settings)')
    .requiredOption('-o, --output <file>', 'the backup file to create (keep it off this workstation)');
  handle(backup, async (context) => {
    await context.unlock();
    const written = await writeBackup(await context.session(), backup.opts<{ output: string }>().output);
    context.out.result({ written: true, createdAt: written.createdAt, bytes: written.bytes }, () => [
      `Backup written (${(written.bytes / 1024 / 1024).toFixed(1)} MiB). Your passphrase or your recovery kit opens it.`,
    ]);
  });

  const restore = identity
    .command('restore')
    .description('restore a backup into this profile, which must have no identity yet')
    .argument('<backup>', 'the backup file')
    .option(
      '--recovery-code-file <file>',
      'open the backup with the recovery kit instead of its passphrase (then a new passphrase is asked for)',
    )
    .option('--new-passphrase-file <file>', 'choose a new passphrase, read from this file (or MEDSEAL_NEW_PASSPHRASE)');
  handle(restore, async (context) => {
    const options = restore.opts<{ recoveryCodeFile?: string; newPassphraseFile?: string }>();
    const byCode = options.recoveryCodeFile !== undefined;
    const unlock: BackupUnlock = byCode
      ? { recoveryCode: await readCodeFile(options.recoveryCodeFile!) }
      : { passphrase: await context.passphrase() };
    const wantsNew = byCode || options.newPassphraseFile !== undefined || Boolean(process.env.MEDSEAL_NEW_PASSPHRASE);
    const chosen = wantsNew ? await newPassphrase(options.newPassphraseFile) : undefined;
    const restored = await restoreBackup(await context.session(), restore.args[0]!, unlock, { newPassphrase: chosen });
    const { card } = restored.profile.identity;
    context.out.result(
      {
        restored: true,
        backupMadeAt: restored.createdAt,
        fingerprint: fingerprintHex(card.fingerprint),
        auditVerified: restored.auditVerified,
        recoveryKitDropped: restored.recoveryKitDropped,
      },
      () => [
        `Restored the identity of ${describeCard(card)} from a backup made ${formatLocalTime(restored.createdAt)}.`,
        restored.auditVerified
          ? 'Its audit log verifies and continues from the backup.'
          : 'Warning: its audit log does not verify. Tell your IT department.',
        `Next: make a new recovery kit (${context.commandLine('identity recovery-kit -o kit.html')}). A kit is never restored, so that one you replaced since cannot come back.`,
      ],
    );
  });
}
