/**
 * `medseal org init | sign-card | revoke | refresh-revocations`: IT's organisation directory of vetted partner cards;
 * `org recovery …` is in org-recovery.ts. The revocation list expires (`--valid-days`), so IT re-signs it regularly.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { toIoError } from '../../errors/io-error.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { parseArmoredCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { createOrgKey, unlockOrgKey } from '../../directory/org-key.js';
import { signCardIntoDirectory } from '../../directory/org-directory.js';
import { DEFAULT_VALID_DAYS, MAX_VALID_DAYS, writeRevocations } from '../../directory/revocation-list.js';
import { listToSign, rememberSigned } from '../../directory/resign-revocations.js';
import { UsageError } from '../../errors/usage-error.js';
import { readTextInput } from '../read-input.js';
import { describeCard } from '../format-text.js';
import type { Handle } from './identity.js';
import { registerOrgRecoveryCommands } from './org-recovery.js';

async function orgSecret(context: Parameters<Parameters<Handle>[1]>[0], keyFile: string) {
  const text = await readFile(keyFile, 'utf8').catch((error: unknown) => {
    throw toIoError('the organisation key file', error);
  });
  return await unlockOrgKey(text, await context.passphrase());
}

export function registerOrgCommands(program: Command, handle: Handle): void {
  const org = program
    .command('org')
    .description('IT: the organisation directory of vetted partner cards, and emergency access');
  registerOrgRecoveryCommands(org, handle);

  const init = org
    .command('init')
    .description('create the organisation admin key (asks for a new passphrase)')
    .requiredOption('-o, --output <file>', 'key file to create');
  handle(init, async (context) => {
    const { text, publicKey } = await createOrgKey(await context.passphrase(true));
    await writeNewFile(init.opts<{ output: string }>().output, text, 'the organisation key');
    context.out.result({ publicKey }, () => [
      'Organisation key created. Put this public key in the policy as "orgPublicKey":',
      publicKey,
    ]);
  });

  const sign = org
    .command('sign-card')
    .description('vet a partner card: sign it into the directory folder')
    .argument('<card>', '.medseal-contact file, or - for stdin')
    .requiredOption('--key <file>', 'organisation key file')
    .requiredOption('--dir <folder>', 'directory folder');
  handle(sign, async (context) => {
    const options = sign.opts<{ key: string; dir: string }>();
    const card = parseArmoredCard(await readTextInput(sign.args[0]!, 'the card file'));
    const { secretKey } = await orgSecret(context, options.key);
    try {
      await signCardIntoDirectory(options.dir, card, secretKey);
    } finally {
      secretKey.fill(0);
    }
    context.out.result({ signed: fingerprintHex(card.fingerprint) }, () => [
      `Signed into the directory: ${describeCard(card)}`,
    ]);
  });

  const validDays = (value: string): number => {
    const days = Number(value);
    if (!/^\d+$/.test(value) || days < 1 || days > MAX_VALID_DAYS)
      throw new UsageError(`--valid-days takes a whole number of days from 1 to ${MAX_VALID_DAYS}.`);
    return days;
  };
  const validDaysHelp = `days the signed list stays valid (default ${DEFAULT_VALID_DAYS}); workstations trust no directory card once it has expired`;

  const revoke = org
    .command('revoke')
    .description('remove a card from the directory (signed revocation list, valid for --valid-days)')
    .argument('<fingerprint>', '64 hex digits')
    .requiredOption('--key <file>', 'organisation key file')
    .requiredOption('--dir <folder>', 'directory folder')
    .option('--valid-days <days>', validDaysHelp, validDays, DEFAULT_VALID_DAYS)
    .option('--new-list', 'start a new revocation list where none exists yet (never over an existing one)')
    .option(
      '--accept-old-list',
      'sign again a list that has expired or has no expiry, after checking that it names every revocation',
    );
  handle(revoke, async (context) => {
    const fingerprint = revoke.args[0]!.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(fingerprint)) throw new UsageError('Give the full 64-digit fingerprint to revoke.');
    const options = revoke.opts<{
      key: string;
      dir: string;
      validDays: number;
      newList?: boolean;
      acceptOldList?: boolean;
    }>();
    const { publicKey, secretKey } = await orgSecret(context, options.key);
    try {
      const current = await listToSign(options.dir, publicKey, options.key, {
        newList: options.newList === true,
        acceptOld: options.acceptOldList === true,
      });
      const now = new Date();
      await writeRevocations(options.dir, [...current.revoked, fingerprint], secretKey, now, options.validDays);
      await rememberSigned(options.key, now);
    } finally {
      secretKey.fill(0);
    }
    context.out.result({ revoked: fingerprint, validDays: options.validDays }, () => [
      `Revoked ${fingerprint}. The list is valid for ${options.validDays} days: run org refresh-revocations before then.`,
    ]);
  });

  const refresh = org
    .command('refresh-revocations')
    .description('sign the revocation list again, unchanged, with a new expiry (run it regularly, e.g. weekly)')
    .requiredOption('--key <file>', 'organisation key file')
    .requiredOption('--dir <folder>', 'directory folder')
    .option('--valid-days <days>', validDaysHelp, validDays, DEFAULT_VALID_DAYS)
    .option(
      '--accept-old-list',
      'sign again a list that has expired or has no expiry, after checking that it names every revocation',
    );
  handle(refresh, async (context) => {
    const options = refresh.opts<{ key: string; dir: string; validDays: number; acceptOldList?: boolean }>();
    const { publicKey, secretKey } = await orgSecret(context, options.key);
    let current;
    try {
      current = await listToSign(options.dir, publicKey, options.key, {
        newList: false,
        acceptOld: options.acceptOldList === true,
      });
      const now = new Date();
      await writeRevocations(options.dir, current.revoked, secretKey, now, options.validDays);
      await rememberSigned(options.key, now);
    } finally {
      secretKey.fill(0);
    }
    const count = current.revoked.length;
    context.out.result({ revoked: count, previouslySignedAt: current.updatedAt, validDays: options.validDays }, () => [
      `The revocation list (${count} revoked, last signed ${current.updatedAt ?? 'never'}) is signed again, valid for ${options.validDays} days. Check the count against your records.`,
    ]);
  });
}
