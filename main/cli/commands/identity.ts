/** `medseal identity create | show | export-card | change-passphrase` (and continuity: identity-continuity.ts) */
import type { Command } from 'commander';
import { armorCard } from '../../identity/contact-card.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import { validateNewIdentity } from '../../services/profile-session.js';
import { obtainPassphrase } from '../passphrase.js';
import { cardJson, describeCard, formatLocalTime } from '../format-text.js';
import { writeNewFile } from '../../fs/write-new-file.js';
import type { CliContext } from '../context.js';
import { registerContinuityCommands } from './identity-continuity.js';

export type Handle = (command: Command, body: (context: CliContext) => Promise<void>) => void;

/**
 * What people compare, as `contacts show` and the app print it: one 60-digit safety number per
 * partner, computed from both cards (identity/fingerprint.ts). There is none before a partner's
 * card is imported, so none is printed here (half of one would not match anything they see).
 */
function safetyNumberHint(context: CliContext): string {
  return `Safety numbers: with each partner you compare 60 digits, shown once you import their card (${context.commandLine('contacts show THEIR-EMAIL')}).`;
}

export function registerIdentityCommands(program: Command, handle: Handle): void {
  const identity = program.command('identity').description('your own identity: keys and contact card');

  const create = identity
    .command('create')
    .description('create the identity of this profile (asks for a new passphrase)')
    .requiredOption('--name <name>', 'your full name as partners know it')
    .requiredOption('--org <organisation>', 'your organisation')
    .requiredOption('--email <email>', 'your work e-mail address')
    .option('--role <role>', 'your role, e.g. "Cardiologist"', '');
  handle(create, async (context) => {
    const options = create.opts<{ name: string; org: string; email: string; role: string }>();
    const input = { name: options.name, organisation: options.org, role: options.role, email: options.email };
    validateNewIdentity(input); // a bad field is reported before asking for a passphrase
    const session = await context.session();
    const { card } = (await session.create(input, await context.passphrase(true))).identity;
    context.out.result({ created: true, profileFolder: context.folder.path, ...cardJson(card) }, () => [
      `Identity created for ${describeCard(card)}.`,
      `Fingerprint: ${fingerprintHex(card.fingerprint)}`,
      safetyNumberHint(context),
      'Next: write your contact card to a file and send it to your partners:',
      `  ${context.commandLine('identity export-card -o me.medseal-contact')}`,
    ]);
  });

  const show = identity.command('show').description('show your contact card and fingerprint');
  handle(show, async (context) => {
    const card = await context.identities.publicCard();
    context.out.result(cardJson(card), () => [
      describeCard(card),
      `Created:     ${formatLocalTime(card.createdAt)}`,
      `Fingerprint: ${fingerprintHex(card.fingerprint)}`,
      safetyNumberHint(context),
    ]);
  });

  const exportCard = identity
    .command('export-card')
    .description('write your contact card (text) to stdout or a .medseal-contact file')
    .option('-o, --output <file>', 'file to create (must not exist)');
  handle(exportCard, async (context) => {
    const card = await context.identities.publicCard();
    const text = armorCard(card);
    const output = exportCard.opts<{ output?: string }>().output;
    if (!output) {
      if (context.out.json) context.out.result({ card: text, fingerprint: fingerprintHex(card.fingerprint) }, () => []);
      else process.stdout.write(text);
      return;
    }
    await writeNewFile(output, text, 'the card file', 0o644); // public: a card holds no secret
    context.out.result({ written: true, fingerprint: fingerprintHex(card.fingerprint) }, () => [
      'Contact card written.',
    ]);
  });

  const change = identity
    .command('change-passphrase')
    .description('change the passphrase; your keys and contacts stay the same')
    .option(
      '--new-passphrase-file <file>',
      'read the new passphrase from this file (else MEDSEAL_NEW_PASSPHRASE or a prompt)',
    );
  handle(change, async (context) => {
    await context.identities.publicCard();
    const oldPassphrase = await context.passphrase();
    const newPassphrase = await obtainPassphrase({
      file: change.opts<{ newPassphraseFile?: string }>().newPassphraseFile,
      envVar: 'MEDSEAL_NEW_PASSPHRASE',
      prompt: 'New passphrase: ',
      confirm: true,
    });
    await (await context.session()).changePassphrase(oldPassphrase, newPassphrase);
    context.out.result({ changed: true }, () => ['Passphrase changed.']);
  });

  registerContinuityCommands(identity, handle);
}
