/** `medseal exchange add | add-mail | list | remove | retry`: the shared folders, SFTP servers and mailbox packages travel through, and the delivery queue. */
import type { Command } from 'commander';
import { UsageError } from '../../errors/usage-error.js';
import type { ExchangeInfo } from '../../services/delivery/exchanges.js';
import { forTerminal } from '../terminal-text.js';
import type { Handle } from './identity.js';
import type { CliContext } from '../context.js';
import { describeCard } from '../format-text.js';
import { deliveredLines, problemJson, warnDelivery } from '../delivery-output.js';
import { deliveryFailure } from '../../services/delivery/delivery-failure.js';
import { DeliveryStillQueued } from '../../services/delivery/errors.js';
import { nextTryText } from '../../texts/queue-texts.js';
import { obtainPassphrase } from '../passphrase.js';

/** Where `exchange add-mail` finds the mailbox password when no file is given (never an argument). */
const MAIL_PASSWORD_ENV = 'MEDSEAL_MAIL_PASSWORD';

function describe(entry: ExchangeInfo): string {
  const flags = [
    entry.managed ? 'set by your organisation' : null,
    entry.ready ? null : 'needs your login key: medseal exchange add NAME --key-file FILE',
  ]
    .filter(Boolean)
    .join('; ');
  return `${forTerminal(entry.label)}  ${entry.kind}  ${forTerminal(entry.location)}${entry.hostKey ? `  host key ${entry.hostKey}` : ''}${flags ? `  (${flags})` : ''}`;
}

export function registerExchangeCommands(program: Command, handle: Handle): void {
  const exchange = program
    .command('exchange')
    .description('shared folders and SFTP servers that deliver packages and receipts');

  const add = exchange
    .command('add')
    .description(
      'add a shared folder (a path) or an SFTP server (sftp://USER@HOST[:PORT]/PATH, or the name of one your organisation set)',
    )
    .argument('<where>')
    .option('--key-file <file>', 'SFTP: your private login key (OpenSSH format; kept encrypted in your profile)')
    .option(
      '--host-key <SHA256:…>',
      "SFTP: the server's host key as IT gave it; without it, the key the server presents is shown for you to compare",
    )
    .option('--name <name>', 'the name you will see, e.g. "Lab partners" (default: the server name or the folder)');
  handle(add, async (context) => {
    const where = add.args[0]!;
    const options = add.opts<{ keyFile?: string; hostKey?: string; name?: string }>();
    await context.unlock();
    const exchanges = await context.exchanges();
    const managedName = (await context.policy()).effective.sftpExchanges.some((entry) => entry.name === where);
    let entry: ExchangeInfo | null;
    if (where.startsWith('sftp://') || managedName) {
      if (!options.keyFile) throw new UsageError('An SFTP exchange needs --key-file (your private login key).');
      const keyFile = options.keyFile;
      entry = await exchanges.addSftp({
        url: where,
        hostKey: options.hostKey,
        keyFile: async () => keyFile,
        name: options.name,
      });
    } else {
      if (options.keyFile || options.hostKey)
        throw new UsageError('--key-file and --host-key are for SFTP exchanges (sftp://…).');
      entry = await exchanges.addFolder(where, options.name);
    }
    if (!entry) return;
    const added = entry;
    context.out.result({ added }, () => [
      `Added: ${describe(added)}`,
      'Partners who add the same exchange can now send you packages there, and you to them.',
    ]);
  });

  const addMail = exchange
    .command('add-mail')
    .description(
      'set up your mailbox for delivery by e-mail: partners no exchange reaches get packages at the address on their card',
    )
    .option('--address <address>', 'your e-mail address (default: the one on your card)')
    .option(
      '--smtp <url>',
      "outgoing server: smtps://HOST[:PORT] (TLS) or smtp://HOST[:PORT] (STARTTLS); default: the policy's",
    )
    .option(
      '--imap <url>',
      "incoming server: imaps://HOST[:PORT] (TLS) or imap://HOST[:PORT] (STARTTLS); default: the policy's",
    )
    .option('--user <name>', 'the login name (default: the address)')
    .option('--ca-file <file>', 'the CA certificate (PEM) of servers signed by a private CA')
    .option('--password-file <file>', `the mailbox password (else ${MAIL_PASSWORD_ENV}, else asked)`);
  handle(addMail, async (context) => {
    const options = addMail.opts<{
      address?: string;
      smtp?: string;
      imap?: string;
      user?: string;
      caFile?: string;
      passwordFile?: string;
    }>();
    await context.unlock();
    const entry = await (
      await context.exchanges()
    ).addMailbox({
      ...options,
      password: () =>
        obtainPassphrase({
          file: options.passwordFile,
          envVar: MAIL_PASSWORD_ENV,
          prompt: 'Mailbox password: ',
          asked: { option: '--password-file', thing: 'mailbox password' },
        }),
    });
    if (!entry) return;
    context.out.result({ added: entry }, () => [
      `Added: ${describe(entry)}`,
      'Both logins worked over verified TLS. Partners no exchange reaches now get packages by e-mail, and you receive theirs here.',
    ]);
  });

  const list = exchange.command('list').description('list the exchanges this profile uses');
  handle(list, async (context) => {
    await context.unlock();
    const entries = await (await context.exchanges()).list();
    context.out.result({ exchanges: entries }, () =>
      entries.length === 0
        ? ['No exchanges. Add one: medseal exchange add FOLDER, or sftp://USER@HOST/PATH --key-file FILE']
        : entries.map(describe),
    );
  });

  const remove = exchange
    .command('remove')
    .description('stop using an exchange (one your organisation set cannot be removed)')
    .argument('<name>');
  handle(remove, async (context) => {
    await context.unlock();
    await (await context.exchanges()).remove(remove.args[0]!);
    context.out.result({ removed: remove.args[0] }, () => [`Removed ${forTerminal(remove.args[0]!)}.`]);
  });

  const retry = exchange
    .command('retry')
    .description(
      'deliver now every package waiting in the delivery queue (an exchange was down when it was sent); exit 7 while some still wait',
    );
  handle(retry, (context) => retryCommand(context));
}

/** `exchange retry`: the whole queue tried now, as a person asks; what still waits is tried again later by itself. */
async function retryCommand(context: CliContext): Promise<void> {
  const profile = await context.unlock();
  const queue = await context.deliveryQueue();
  const waiting = new Set(queue.list().map((entry) => `${entry.packageHash}:${entry.fingerprint}`)).size;
  const report = await queue.retry({ all: true });
  const contacts = await profile.contacts.list();
  const nameOf = (fingerprint: string) => {
    const contact = contacts.find((candidate) => candidate.fingerprint === fingerprint);
    return contact ? describeCard(contact.card) : fingerprint.slice(0, 16);
  };
  const stillQueued = new Set(report.queued.map((entry) => `${entry.packageHash}:${entry.recipient}`)).size;
  const earliest = report.queued.map((entry) => entry.nextTryAt).sort()[0];
  const failure =
    deliveryFailure(report.problems, [...new Set(report.unreached.map((entry) => nameOf(entry.recipient)))]) ??
    (earliest === undefined ? null : new DeliveryStillQueued(stillQueued, nextTryText(earliest)));
  context.out.result(
    {
      delivered: report.delivered,
      queued: report.queued,
      unreached: report.unreached,
      problems: report.problems.map(problemJson),
    },
    () =>
      waiting === 0
        ? ['Nothing waits in the delivery queue.']
        : [
            `Tried ${waiting} queued deliver${waiting === 1 ? 'y' : 'ies'}: ${new Set(report.delivered.map((entry) => `${entry.packageHash}:${entry.recipient}`)).size} delivered, ${stillQueued} still queued, ${report.unreached.length} not reached.`,
            ...deliveredLines(report.delivered, nameOf),
          ],
  );
  warnDelivery(context.out, { ...report, notUsed: [] }, nameOf, failure);
  if (failure) throw failure;
}
