/**
 * `medseal org init | sign-card | revoke | refresh-revocations`: IT's organisation directory of vetted partner cards,
 * kept as a signed, hash-chained log (directory/org-log.ts, FORMAT.md §11); `org recovery …` is in org-recovery.ts.
 * The log's head expires (`--valid-days`), so IT signs it again regularly.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { toIoError } from '../../errors/io-error.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { parseArmoredCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { createOrgKey, unlockOrgKey } from '../../directory/org-key.js';
import { DEFAULT_VALID_DAYS, MAX_VALID_DAYS } from '../../directory/revocation-list.js';
import { changeFor, orgLogToExtend, publishOrgLog, type OrgLog } from '../../directory/org-log.js';
import type { DirectoryChange } from '../../directory/directory-log.js';
import { UsageError } from '../../errors/usage-error.js';
import { readTextInput } from '../read-input.js';
import { describeCard } from '../format-text.js';
import type { Handle } from './identity.js';
import { registerOrgRecoveryCommands } from './org-recovery.js';
import { registerOrgPartnerCommands } from './org-partners.js';

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
  registerOrgPartnerCommands(org, handle);

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

  const validDays = (value: string): number => {
    const days = Number(value);
    if (!/^\d+$/.test(value) || days < 1 || days > MAX_VALID_DAYS)
      throw new UsageError(`--valid-days takes a whole number of days from 1 to ${MAX_VALID_DAYS}.`);
    return days;
  };
  const validDaysHelp = `days the signed directory stays valid (default ${DEFAULT_VALID_DAYS}); workstations and partners trust none of its cards once it has expired`;
  const acceptExpiredHelp = 'sign again a directory that has expired, after checking that it names every revocation';
  /** The options every command that signs the directory log takes. */
  const logOptions = (command: Command) =>
    command
      .requiredOption('--key <file>', 'organisation key file')
      .requiredOption('--dir <folder>', 'directory folder')
      .option('--organisation <name>', "your organisation's name, once, when the directory log is started")
      .option('--valid-days <days>', validDaysHelp, validDays, DEFAULT_VALID_DAYS)
      .option('--accept-old-list', acceptExpiredHelp);
  interface LogOptions {
    key: string;
    dir: string;
    organisation?: string;
    validDays: number;
    acceptOldList?: boolean;
  }

  /** Appends `changeOf(log)` (null: nothing to append) to the directory log, signed again; what it published. */
  async function withLog(
    context: Parameters<Parameters<Handle>[1]>[0],
    options: LogOptions,
    changeOf: (log: OrgLog) => DirectoryChange | null,
  ) {
    const keys = await orgSecret(context, options.key);
    try {
      const log = await orgLogToExtend(options.dir, keys, options.key, {
        organisation: options.organisation,
        acceptExpired: options.acceptOldList === true,
      });
      const change = changeOf(log);
      const head = await publishOrgLog(options.dir, keys, options.key, log, change ? [change] : [], options.validDays);
      return { log, change, head };
    } finally {
      keys.secretKey.fill(0);
    }
  }

  const sign = logOptions(
    org
      .command('sign-card')
      .description("vet a partner card: append it to the directory log (or replace the same person's earlier card)")
      .argument('<card>', '.medseal-contact file, or - for stdin'),
  );
  handle(sign, async (context) => {
    const options = sign.opts<LogOptions>();
    const card = parseArmoredCard(await readTextInput(sign.args[0]!, 'the card file'));
    const { log, change, head } = await withLog(context, options, (current) => changeFor(current, card));
    context.out.result(
      { signed: fingerprintHex(card.fingerprint), change: change?.op ?? 'none', seq: head.seq },
      () => [
        ...(log.migrated
          ? [`The directory moved to the log form: ${log.cards.length} vetted card(s) carried over.`]
          : []),
        change === null
          ? `Already in the directory: ${describeCard(card)}. The directory was signed again (change ${head.seq}).`
          : `${change.op === 'replace' ? 'Replaced in' : 'Signed into'} the directory: ${describeCard(card)} (change ${head.seq}).`,
      ],
    );
  });

  const revoke = logOptions(
    org
      .command('revoke')
      .description('remove a card from the directory (a revocation in the signed log, valid for --valid-days)')
      .argument('<fingerprint>', '64 hex digits'),
  );
  handle(revoke, async (context) => {
    const fingerprint = revoke.args[0]!.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(fingerprint)) throw new UsageError('Give the full 64-digit fingerprint to revoke.');
    const options = revoke.opts<LogOptions>();
    const { head } = await withLog(context, options, (log) => {
      if (!log.cards.some((card) => fingerprintHex(card.fingerprint) === fingerprint))
        throw new UsageError('No card with this fingerprint is in the directory (it may be revoked already).');
      return { op: 'revoke', fingerprint };
    });
    context.out.result({ revoked: fingerprint, validDays: options.validDays, seq: head.seq }, () => [
      `Revoked ${fingerprint} (change ${head.seq}). The directory is valid for ${options.validDays} days: run org refresh-revocations before then.`,
    ]);
  });

  const refresh = logOptions(
    org
      .command('refresh-revocations')
      .description('sign the directory again, unchanged, with a new expiry (run it regularly, e.g. weekly)'),
  );
  handle(refresh, async (context) => {
    const options = refresh.opts<LogOptions>();
    const { log, head } = await withLog(context, options, () => null);
    context.out.result({ cards: log.cards.length, seq: head.seq, validDays: options.validDays }, () => [
      `The directory (${log.cards.length} card(s), change ${head.seq}) is signed again, valid for ${options.validDays} days. Check the count against your records.`,
    ]);
  });
}
