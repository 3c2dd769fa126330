/**
 * `medseal org recovery init | open | restore | log`: organisation
 * emergency access (break-glass). IT splits a recovery key among
 * custodians; later, enough of them together open a package or restore a
 * backup sealed under it, each use signed into the emergency-access log.
 * The services decide and do the work (org-recovery/, services/emergency-key.ts,
 * services/emergency-access.ts); this file reads the options and prints.
 */
import { chunkWorkersFor } from '../../services/package-runner.js';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { toIoError } from '../../errors/io-error.js';
import { UsageError } from '../../errors/usage-error.js';
import { parseArmoredCard, type ContactCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { readEmergencyLog } from '../../org-recovery/emergency-log.js';
import { isRecoveryCard } from '../../org-recovery/recovery-key.js';
import { readShareFile, shareLabel, type ShareFile } from '../../org-recovery/share-file.js';
import {
  emergencyOpenPackage,
  emergencyRestoreBackup,
  prepareOpenFolder,
  type EmergencyAccessRequest,
} from '../../services/emergency-access.js';
import {
  createOrgRecoveryKey,
  emergencyLogFolder,
  localOperator,
  RECOVERY_CARD_FILE,
} from '../../services/emergency-key.js';
import { sendEmergencyNotice } from '../../services/emergency-notice.js';
import type { CliContext } from '../context.js';
import { describeCard, formatLocalTime } from '../format-text.js';
import { obtainPassphrase } from '../passphrase.js';
import { forTerminal } from '../terminal-text.js';
import { counted } from '../../texts/counts.js';
import type { Handle } from './identity.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The passphrase for the share at `position`: its file if given, else MEDSEAL_SHARE_PASSPHRASE_<n>, else a prompt naming the custodian. */
function custodianPassphrase(
  files: readonly string[],
  position: number,
  prompt: string,
  confirm = false,
): Promise<string> {
  return obtainPassphrase({
    file: files[position - 1],
    envVar: `MEDSEAL_SHARE_PASSPHRASE_${position}`,
    prompt,
    confirm,
  });
}

async function readShares(paths: readonly string[]): Promise<ShareFile[]> {
  if (paths.length === 0) throw new UsageError("Give each custodian's share file with --share FILE (repeat it).");
  const files = [];
  for (const [index, path] of paths.entries()) {
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      throw toIoError(`share file ${index + 1}`, error);
    });
    files.push(readShareFile(text, index + 1));
  }
  return files;
}

interface AccessOptions {
  share?: string[];
  sharePassphraseFile?: string[];
  reason: string;
  logFolder?: string;
}

/** Where the emergency-access log is (services/emergency-key.ts decides: the policy, else --log-folder). */
async function logFolderFor(context: CliContext, given: string | undefined): Promise<string> {
  return emergencyLogFolder(await context.policy(), given);
}

async function accessRequest(context: CliContext, options: AccessOptions): Promise<EmergencyAccessRequest> {
  const logFolder = await logFolderFor(context, options.logFolder);
  const shares = await readShares(options.share ?? []);
  const positions = new Map(shares.map((file, index) => [file, index + 1]));
  const passphrases = options.sharePassphraseFile ?? [];
  return {
    shares,
    reason: options.reason,
    operator: localOperator(),
    logFolder,
    workers: chunkWorkersFor((await context.policy()).effective),
    passphraseFor: (file) =>
      custodianPassphrase(
        passphrases,
        positions.get(file)!,
        `Custodian of ${shareLabel(file)}, type your passphrase: `,
      ),
  };
}

function accessOptions(command: Command): Command {
  return command
    .option('--share <file>', "a custodian's share file (repeat: at least the threshold)", collect)
    .option(
      '--share-passphrase-file <file>',
      'the passphrase of each --share, in the same order (else MEDSEAL_SHARE_PASSPHRASE_<n>, else each custodian is asked)',
      collect,
    )
    .requiredOption('--reason <text>', 'why: a ticket or case number (recorded; no patient details)')
    .option('--log-folder <folder>', "the emergency-access log folder (default: the policy's directory folder)");
}

async function recoveryCardFrom(context: CliContext, keyFile: string | undefined): Promise<ContactCard> {
  if (keyFile) {
    const card = parseArmoredCard(
      await readFile(keyFile, 'utf8').catch((error: unknown) => {
        throw toIoError('the recovery key card', error);
      }),
    );
    if (!isRecoveryCard(card)) throw new UsageError('That card is not an organisation recovery key.');
    return card;
  }
  const card = (await context.policy()).recoveryKey();
  if (!card) throw new UsageError('Give the recovery key card with --key FILE (no orgRecoveryKey in the policy here).');
  return card;
}

async function noticeSender(context: CliContext): Promise<NonNullable<EmergencyAccessRequest['notify']>> {
  await context.unlock();
  const session = await context.session();
  const delivery = await context.delivery();
  return (key, record, metadata) => sendEmergencyNotice(session, delivery, key, record, metadata);
}

export function registerOrgRecoveryCommands(org: Command, handle: Handle): void {
  const recovery = org
    .command('recovery')
    .description('emergency access: a recovery key held by several custodians together');

  const init = recovery
    .command('init')
    .description('create an organisation recovery key and split it among custodians (each chooses a passphrase)')
    .requiredOption('--shares <n>', 'how many custodians get a share', Number)
    .requiredOption('--threshold <k>', 'how many of them together can use the key (at least 2)', Number)
    .requiredOption('--organisation <name>', 'the organisation, as every recipient will see it')
    .requiredOption(
      '--email <address>',
      'whom recipients may ask about emergency access, e.g. privacy-office@hospital.example',
    )
    .requiredOption('-o, --output <folder>', 'a new folder for the share files and the public key card')
    .option('--custodian <name>', 'the name of each custodian, in share order (repeat)', collect)
    .option(
      '--custodian-passphrase-file <file>',
      'the passphrase of each share, in order (else each custodian is asked)',
      collect,
    )
    .option(
      '--log-folder <folder>',
      "where the key's emergency-access log starts (default and on managed workstations: the policy's directory folder)",
    );
  handle(init, async (context) => {
    const options = init.opts<{
      shares: number;
      threshold: number;
      organisation: string;
      email: string;
      output: string;
      custodian?: string[];
      custodianPassphraseFile?: string[];
      logFolder?: string;
    }>();
    const made = await createOrgRecoveryKey(await context.policy(), {
      operator: localOperator(),
      organisation: options.organisation,
      email: options.email,
      shares: options.shares,
      threshold: options.threshold,
      custodians: options.custodian ?? [],
      output: options.output,
      logFolder: options.logFolder,
      passphraseFor: (share) =>
        custodianPassphrase(
          options.custodianPassphraseFile ?? [],
          share.share,
          `Custodian of ${shareLabel(share)}, choose a passphrase for your share: `,
          true,
        ),
    });
    context.out.result(
      {
        fingerprint: made.fingerprint,
        orgRecoveryKey: made.policyValue,
        shares: made.shareFiles,
        custodians: made.holders,
      },
      () => [
        `Organisation recovery key created: ${options.threshold} of ${options.shares} custodians together can use it.`,
        `Fingerprint: ${made.fingerprint}`,
        'Give each custodian their own share file, then delete the copies here:',
        ...made.holders.map(({ file, custodian }, index) =>
          forTerminal(`  ${file}  →  ${custodian ?? `custodian ${index + 1} (no name given)`}`),
        ),
        `Put this value in the policy as "orgRecoveryKey" (it is also in ${RECOVERY_CARD_FILE}):`,
        made.policyValue,
      ],
    );
  });

  const openCommand = accessOptions(
    recovery
      .command('open')
      .description(
        'open a package sealed under the recovery key (custodians together); recorded in the emergency-access log',
      )
      .argument('<package>', 'the .medseal package')
      .requiredOption('-o, --output <folder>', 'the folder for the files (created if missing)')
      .option(
        '--notify',
        "also record the use in your own MedSeal audit log (this --home; asks your passphrase) and send a notice to the package's sender and recipients through your exchanges",
      ),
  );
  handle(openCommand, async (context) => {
    const options = openCommand.opts<AccessOptions & { output: string; notify?: boolean }>();
    const request = await accessRequest(context, options);
    await prepareOpenFolder(options.output); // before anyone is asked for anything
    // With --notify the operator's own identity (this --home) is unlocked first: its audit log records the use, its exchanges carry the notice.
    const notify = options.notify ? await noticeSender(context) : undefined;
    const opened = await emergencyOpenPackage({ ...request, notify }, openCommand.args[0]!, options.output);
    context.out.result(
      {
        opened: true,
        record: opened.record.seq,
        sender: fingerprintHex(opened.metadata.sender.fingerprint),
        paths: opened.paths,
        notice: opened.notice,
      },
      () => [
        `Opened with the organisation recovery key; recorded as entry ${opened.record.seq} of the emergency-access log.`,
        `Sent by ${describeCard(opened.metadata.sender)} on ${formatLocalTime(opened.metadata.createdAt)}; ${counted('file', opened.paths.length)} written to the folder given.`,
        ...(opened.notice
          ? [
              `Notice delivered to ${opened.notice.notified.length} of ${opened.notice.notified.length + opened.notice.unreached.length} people (sender and recipients); the rest have no inbox your exchanges reach.`,
            ]
          : []),
      ],
    );
  });

  const restore = accessOptions(
    recovery
      .command('restore')
      .description(
        "restore a clinician's backup made under the recovery key into this (empty) profile, with a new passphrase",
      )
      .argument('<backup>', 'the .medseal-backup file')
      .option(
        '--new-passphrase-file <file>',
        'the new passphrase for whoever takes the profile over (else MEDSEAL_NEW_PASSPHRASE or a prompt)',
      ),
  );
  handle(restore, async (context) => {
    const options = restore.opts<AccessOptions & { newPassphraseFile?: string }>();
    const request = await accessRequest(context, options);
    const newPassphrase = await obtainPassphrase({
      file: options.newPassphraseFile,
      envVar: 'MEDSEAL_NEW_PASSPHRASE',
      prompt: 'New passphrase for the restored identity: ',
      confirm: true,
    });
    const { record, restored } = await emergencyRestoreBackup(await context.session(), request, restore.args[0]!, {
      newPassphrase,
    });
    const { card } = restored.profile.identity;
    context.out.result(
      {
        restored: true,
        record: record.seq,
        fingerprint: fingerprintHex(card.fingerprint),
        backupMadeAt: restored.createdAt,
        auditVerified: restored.auditVerified,
      },
      () => [
        `Restored the identity of ${describeCard(card)} from a backup made ${formatLocalTime(restored.createdAt)}, with the organisation recovery key.`,
        `Recorded as entry ${record.seq} of the emergency-access log.`,
      ],
    );
  });

  const log = recovery
    .command('log')
    .description('verify and list the emergency-access log of a recovery key')
    .option('--key <card>', "the recovery key's .medseal-contact card (default: the policy's orgRecoveryKey)")
    .option('--log-folder <folder>', "the log's folder (default: the policy's directory folder)");
  handle(log, async (context) => {
    const options = log.opts<{ key?: string; logFolder?: string }>();
    const card = await recoveryCardFrom(context, options.key);
    const { records } = await readEmergencyLog(await logFolderFor(context, options.logFolder), card);
    context.out.result({ verified: true, records }, () => [
      `The emergency-access log verifies: ${counted('record', records.length)}, every one signed by the recovery key and chained to the one before.`,
      ...records.map((record) =>
        forTerminal(
          `${record.seq}. ${formatLocalTime(record.at)}  ${record.action}  ${record.subject.slice(0, 16)}…  by ${record.operator} with ${record.custodians.join(', ')}  reason: ${record.reason}`,
        ),
      ),
    ]);
  });
}
