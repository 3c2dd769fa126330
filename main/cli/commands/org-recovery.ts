/**
 * `medseal org recovery init | open | restore | log`: organisation
 * emergency access (break-glass). IT splits a recovery key among
 * custodians; later, enough of them together open a package or restore a
 * backup sealed under it, each use signed into the emergency-access log.
 * The services do the work (org-recovery/, services/emergency-access.ts).
 */
import type { Command } from 'commander';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { toIoError } from '../../errors/io-error.js';
import { isNodeError } from '../../errors/node-error.js';
import { UsageError } from '../../errors/usage-error.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import { armorCard, parseArmoredCard, type ContactCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { splitNewRecoveryKey } from '../../org-recovery/custodian-shares.js';
import { readEmergencyLog, startEmergencyLog } from '../../org-recovery/emergency-log.js';
import { isRecoveryCard } from '../../org-recovery/recovery-key.js';
import { readShareFile, shareLabel, type ShareFile } from '../../org-recovery/share-file.js';
import {
  emergencyOpenPackage,
  emergencyRestoreBackup,
  type EmergencyAccessRequest,
} from '../../services/emergency-access.js';
import { sendEmergencyNotice } from '../../services/emergency-notice.js';
import type { CliContext } from '../context.js';
import { describeCard, formatLocalTime } from '../format-text.js';
import { obtainPassphrase } from '../passphrase.js';
import { forTerminal } from '../terminal-text.js';
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

/**
 * Where the emergency-access log is: the policy's directory folder on a managed workstation (a
 * person cannot move the record elsewhere there), else --log-folder.
 */
async function logFolderFor(context: CliContext, given: string | undefined): Promise<string> {
  const managed = (await context.policy()).effective.directoryFolder;
  if (managed && given && resolve(given) !== resolve(managed)) {
    throw new UsageError(
      "This workstation's policy keeps the emergency-access log in the directory folder; --log-folder cannot move it elsewhere.",
    );
  }
  const folder = managed ?? given;
  if (!folder)
    throw new UsageError(
      'Give the folder of the emergency-access log with --log-folder (normally the organisation directory folder).',
    );
  return folder;
}

const operator = () => `${userInfo().username}@${hostname()}`;

async function accessRequest(context: CliContext, options: AccessOptions): Promise<EmergencyAccessRequest> {
  const logFolder = await logFolderFor(context, options.logFolder);
  const shares = await readShares(options.share ?? []);
  const positions = new Map(shares.map((file, index) => [file, index + 1]));
  const passphrases = options.sharePassphraseFile ?? [];
  return {
    shares,
    reason: options.reason,
    operator: operator(),
    logFolder,
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
    const logFolder = await logFolderFor(context, options.logFolder);
    if (
      await stat(options.output).then(
        () => true,
        (error: unknown) => {
          if (isNodeError(error, 'ENOENT')) return false;
          throw toIoError('the output folder', error);
        },
      )
    )
      throw new UsageError(
        'The output folder must not exist yet: give a new folder for the share files. Nothing was changed.',
      );
    // Every custodian chooses a passphrase before anything is written.
    const split = await splitNewRecoveryKey({
      operator: operator(),
      organisation: options.organisation,
      email: options.email,
      shares: options.shares,
      threshold: options.threshold,
      custodians: options.custodian ?? [],
      passphraseFor: (share) =>
        custodianPassphrase(
          options.custodianPassphraseFile ?? [],
          share.share,
          `Custodian of ${shareLabel(share)}, choose a passphrase for your share: `,
          true,
        ),
    });
    await mkdir(options.output, { mode: 0o700 }).catch((error: unknown) => {
      throw toIoError('the output folder', error);
    });
    try {
      for (const file of split.files) await writeNewFile(join(options.output, file.name), file.text, 'a share file');
      await writeNewFile(
        join(options.output, 'recovery-key.medseal-contact'),
        armorCard(split.card),
        'the recovery key card',
        0o644,
      );
      await startEmergencyLog(logFolder, split.card, split.firstRecord);
    } catch (error) {
      await rm(options.output, { recursive: true, force: true }); // no key without its log, no half a set of shares
      throw error;
    }
    const policyValue = Buffer.from(split.card.bytes).toString('base64');
    context.out.result(
      {
        fingerprint: fingerprintHex(split.card.fingerprint),
        orgRecoveryKey: policyValue,
        shares: split.files.map((file) => file.name),
      },
      () => [
        `Organisation recovery key created: ${options.threshold} of ${options.shares} custodians together can use it.`,
        `Fingerprint: ${fingerprintHex(split.card.fingerprint)}`,
        `Give each custodian their share file (${split.files.map((file) => file.name).join(', ')}) and delete the copies here.`,
        'Put this value in the policy as "orgRecoveryKey" (it is also in recovery-key.medseal-contact):',
        policyValue,
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
      .requiredOption('-o, --output <folder>', 'an existing folder for the files')
      .option(
        '--notify',
        "also record the use in your own MedSeal audit log (this --home; asks your passphrase) and send a notice to the package's sender and recipients through your exchanges",
      ),
  );
  handle(openCommand, async (context) => {
    const options = openCommand.opts<AccessOptions & { output: string; notify?: boolean }>();
    const request = await accessRequest(context, options);
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
        `Sent by ${describeCard(opened.metadata.sender)} on ${formatLocalTime(opened.metadata.createdAt)}; ${opened.paths.length} file(s) written to the folder given.`,
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
      `The emergency-access log verifies: ${records.length} record(s), every one signed by the recovery key and chained to the one before.`,
      ...records.map((record) =>
        forTerminal(
          `${record.seq}. ${formatLocalTime(record.at)}  ${record.action}  ${record.subject.slice(0, 16)}…  by ${record.operator} with ${record.custodians.join(', ')}  reason: ${record.reason}`,
        ),
      ),
    ]);
  });
}
