/** `medseal contacts import | list | show | verify | remove | reject-change` */
import { vouchedByText } from '../../texts/trust-texts.js';
import type { Command } from 'commander';
import { CLASSICAL_ONLY_LABEL, POST_QUANTUM_READY_LABEL } from '../../texts/protection-texts.js';
import {
  IMPORT_OUTCOME_TEXT,
  lookAlikeText,
  MIXED_SCRIPT_EMAIL_TEXT,
  revealedEmail,
} from '../../texts/contact-texts.js';
import type { ContactBook, ImportResult } from '../../contacts/contact-book.js';
import type { CliContext } from '../context.js';
import { registerInvitationCommands } from './invitations.js';
import type { ContactCard } from '../../identity/contact-card.js';
import { parseArmoredCard } from '../../identity/contact-card.js';
import { groupDigits } from '../../identity/fingerprint.js';
import { contactJson, describeCard, formatLocalTime, shortFingerprint } from '../format-text.js';
import type { Handle } from './identity.js';
import { readTextInput } from '../read-input.js';
import { EXIT } from '../exit-codes.js';
import { forTerminal } from '../terminal-text.js';
import { personView } from '../../services/views.js';

/** The warnings about a card that could be mistaken for a contact: an address in mixed alphabets, each look-alike. */
export function lookAlikeLines(
  card: ContactCard,
  found: Pick<ImportResult, 'lookAlikes' | 'mixedScriptEmail'>,
): string[] {
  const lines: string[] = [];
  if (found.mixedScriptEmail)
    lines.push(
      `${MIXED_SCRIPT_EMAIL_TEXT} The address, letter by letter: ${forTerminal(revealedEmail(card.profile.email))}`,
    );
  for (const alike of found.lookAlikes)
    lines.push(lookAlikeText(describeCard(card), alike.reason, describeCard(alike.contact.card))); // described: terminal-safe
  return lines;
}

/** The lines an import adds to its outcome: the details before and now, then the look-alike warnings. */
function importWarningLines(result: ImportResult): string[] {
  const changed =
    result.outcome === 'identity-changed' && result.previous
      ? [`Before: ${describeCard(result.previous)}`, `Now:    ${describeCard(result.contact.card)}`]
      : [];
  return [...changed, ...lookAlikeLines(result.contact.card, result)];
}

/** The look-alikes of an import for --json: who, and why. */
export function lookAlikesJson(result: Pick<ImportResult, 'lookAlikes'>) {
  return result.lookAlikes.map((alike) => ({ ...contactJson(alike.contact), reason: alike.reason }));
}

/** `setExitCode`: a card that changes a contact's keys, or their name, organisation or role, exits 6 after printing, so that scripts notice. */
export function registerContactCommands(program: Command, handle: Handle, setExitCode: (code: number) => void): void {
  const contacts = program.command('contacts').description('partners you send to and receive from');

  const importCommand = contacts
    .command('import')
    .description('import a contact card (file, or - for stdin)')
    .argument('<file>');
  handle(importCommand, async (context) => {
    const card = parseArmoredCard(await readTextInput(importCommand.args[0]!, 'the card file'));
    const book = (await context.unlock()).contacts;
    if (reportImport(context, book, await book.importCard(card))) setExitCode(EXIT.untrustedParty);
  });

  registerInvitationCommands(contacts, handle, setExitCode);

  const list = contacts.command('list').description('list contacts and their verification state');
  handle(list, async (context) => {
    const records = await (await context.unlock()).contacts.list();
    context.out.result({ contacts: records.map(contactJson) }, () =>
      records.length === 0
        ? ['No contacts yet. Import a card with "medseal contacts import FILE".']
        : records.map(
            (record) =>
              `${record.state.padEnd(11)}  ${(record.card.pqKey ? 'pq' : '--').padEnd(2)}  ${shortFingerprint(record.fingerprint)}  ${describeCard(record.card)}`,
          ),
    );
  });

  const show = contacts
    .command('show')
    .description('show one contact and your safety number with them')
    .argument('<contact>', 'e-mail or fingerprint prefix');
  handle(show, async (context) => {
    const book = (await context.unlock()).contacts;
    const contact = await book.find(show.args[0]!);
    const safety = book.safetyNumberWith(contact);
    context.out.result({ contact: contactJson(contact), safetyNumber: safety }, () => [
      describeCard(contact.card),
      `State:         ${contact.state}${contact.vouchedBy ? ` (${vouchedByText(contact.vouchedBy)})` : ''}`,
      `Protection:    ${contact.card.pqKey ? POST_QUANTUM_READY_LABEL : CLASSICAL_ONLY_LABEL}`,
      `Fingerprint:   ${contact.fingerprint}`,
      `Safety number: ${groupDigits(safety)}`,
      ...contact.previousKeys.map(
        (previous) => `Previous key:  ${previous.fingerprint} (replaced ${formatLocalTime(previous.replacedAt)})`,
      ),
    ]);
  });

  const verify = contacts
    .command('verify')
    .description('mark a contact verified after comparing safety numbers')
    .argument('<contact>', 'e-mail or fingerprint prefix')
    .requiredOption('--safety-number <digits>', 'the 60 digits you compared (spaces allowed)');
  handle(verify, async (context) => {
    const book = (await context.unlock()).contacts;
    const contact = await book.verify(verify.args[0]!, verify.opts<{ safetyNumber: string }>().safetyNumber);
    context.out.result({ contact: contactJson(contact) }, () => [`Verified: ${describeCard(contact.card)}`]);
  });

  const remove = contacts
    .command('remove')
    .description('remove a contact')
    .argument('<contact>', 'e-mail or fingerprint prefix');
  handle(remove, async (context) => {
    const contact = await (await context.unlock()).contacts.remove(remove.args[0]!);
    context.out.result({ removed: contactJson(contact) }, () => [`Removed: ${describeCard(contact.card)}`]);
  });

  const reject = contacts
    .command('reject-change')
    .description('a contact whose keys changed goes back to its earlier keys (the new card is not believed)')
    .argument('<contact>', 'e-mail or fingerprint prefix');
  handle(reject, async (context) => {
    const book = (await context.unlock()).contacts;
    const contact = await book.rejectReplacement(reject.args[0]!);
    context.out.result({ restored: contactJson(contact), safetyNumber: book.safetyNumberWith(contact) }, () => [
      `Kept the earlier keys of ${describeCard(contact.card)}; packages signed with the rejected keys will raise an alarm.`,
      `Compare the safety number again before sending: ${groupDigits(book.safetyNumberWith(contact))}`,
    ]);
  });
}

/** Tells what an import did, as `contacts import` and `contacts accept` do; true when it changed a contact's keys or identity. */
export function reportImport(context: CliContext, book: ContactBook, result: ImportResult): boolean {
  const { outcome, contact } = result;
  const safety = book.safetyNumberWith(contact);
  const json = {
    outcome,
    contact: contactJson(contact),
    safetyNumber: safety,
    previous: result.previous ? personView(result.previous) : null,
    lookAlikes: lookAlikesJson(result),
    mixedScriptEmail: result.mixedScriptEmail,
  };
  context.out.result(json, () => [
    IMPORT_OUTCOME_TEXT[outcome],
    describeCard(contact.card),
    ...importWarningLines(result),
    `Safety number: ${groupDigits(safety)}`,
    'Compare it with your partner (in person or by phone), then run "medseal contacts verify" with it.',
  ]);
  return outcome === 'key-changed' || outcome === 'identity-changed';
}
