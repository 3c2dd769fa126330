/**
 * Contacts → "Invite a partner" and "Cards received by e-mail", on the
 * shared invitations (services/delivery/invitations.ts), as `medseal
 * contacts invite | offers | accept` use them: the person's card sent to a
 * partner's address; the cards waiting in the mailbox, each with its public
 * view or why it cannot be read; one imported exactly as a card file is,
 * answered as the card import answers. The window asks for the offers when
 * Contacts opens and when the inbox poll counts cards
 * (`exchange.cardsOffered`), never on a timer of its own.
 */
import type { Handlers } from '../ipc/dispatcher.js';
import { MailboxMissing } from '../services/delivery/errors.js';
import { Invitations } from '../services/delivery/invitations.js';
import { importView, personView } from '../services/views.js';
import type { Session } from './session.js';

type InvitationChannel = 'contacts.invite' | 'contacts.offers' | 'contacts.acceptOffer';

export function createInvitationHandlers(session: Session): Pick<Handlers, InvitationChannel> {
  const invitations = new Invitations(session.profiles);
  return {
    'contacts.invite': async ({ email }) => {
      await invitations.invite(email);
      return {};
    },
    'contacts.offers': async () => {
      let offers;
      try {
        offers = await invitations.offers();
      } catch (error) {
        if (error instanceof MailboxMissing) return { mailbox: false, offers: [] }; // nothing to look at: not a failure
        throw error;
      }
      return {
        mailbox: true,
        offers: offers.map(({ id, arrivedAt, card, known, problem }) => ({
          id,
          arrivedAt,
          card: card && personView(card),
          known,
          problem: problem?.userMessage ?? null,
        })),
      };
    },
    'contacts.acceptOffer': async ({ id }) => {
      const result = await invitations.accept(id);
      return importView(result, session.requireProfile().contacts.safetyNumberWith(result.contact));
    },
  };
}
