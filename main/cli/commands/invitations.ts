/**
 * `medseal contacts invite | offers | accept`: a partner invited by e-mail
 * (the person's card and two plain lines), and the cards that came back by
 * e-mail, offered for import (imported exactly as `contacts import` does).
 */
import type { Command } from 'commander';
import { Invitations } from '../../services/delivery/invitations.js';
import { EXIT } from '../exit-codes.js';
import { describeCard, formatLocalTime } from '../format-text.js';
import { forTerminal } from '../terminal-text.js';
import { reportImport } from './contacts.js';
import type { Handle } from './identity.js';

export function registerInvitationCommands(
  contacts: Command,
  handle: Handle,
  setExitCode: (code: number) => void,
): void {
  const invite = contacts
    .command('invite')
    .description(
      'send your contact card by e-mail to a partner, with how to install MedSeal and compare safety numbers',
    )
    .argument('<email>');
  handle(invite, async (context) => {
    await context.unlock();
    await new Invitations(await context.session()).invite(invite.args[0]!);
    context.out.result({ invited: invite.args[0] }, () => [
      `Your contact card was sent to ${forTerminal(invite.args[0]!)}.`,
      'When their card comes back by e-mail, `medseal contacts offers` lists it; compare the safety number with them before sending anything.',
    ]);
  });

  const offers = contacts.command('offers').description('contact cards that came by e-mail, waiting to be imported');
  handle(offers, async (context) => {
    await context.unlock();
    const found = await new Invitations(await context.session()).offers();
    context.out.result(
      {
        offers: found.map((offer) => ({
          id: offer.id,
          arrivedAt: offer.arrivedAt,
          known: offer.known,
          card: offer.card ? { ...offer.card.profile } : null,
          problem: offer.problem ? { code: offer.problem.code, message: offer.problem.userMessage } : null,
        })),
      },
      () =>
        found.length === 0
          ? ['No contact cards came by e-mail.']
          : found.map((offer) =>
              offer.card
                ? `${offer.id}  ${describeCard(offer.card)}  ${formatLocalTime(offer.arrivedAt)}${offer.known ? '  (already a contact)' : `  import: medseal contacts accept ${offer.id}`}`
                : `${offer.id}  cannot be read: ${offer.problem!.userMessage}`,
            ),
    );
  });

  const accept = contacts
    .command('accept')
    .description('import a contact card that came by e-mail (unverified until you compare the safety number)')
    .argument('<id>');
  handle(accept, async (context) => {
    const profile = await context.unlock();
    const result = await new Invitations(await context.session()).accept(accept.args[0]!);
    if (reportImport(context, profile.contacts, result)) setExitCode(EXIT.untrustedParty);
  });
}
