/**
 * Contacts: the contact book (found, sorted, each one's trust), the cards that came by e-mail,
 * inviting a partner by e-mail, importing a card (pasted, dropped, chosen, handed over by the OS,
 * or one that came by e-mail), verifying a contact with the safety number, and the reader's own
 * card. This file holds the book and the import's answer, and wires the parts that show them;
 * Verify takes the whole screen while it is open.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, on, registerDropped, type AnswerOf, type Contact } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { useAction } from '../../useAction.js';
import { CardImport } from './CardImport.js';
import { CardOffers } from './CardOffers.js';
import { importMessage, verifiedMessage, type ContactMessage } from './contactMessage.js';
import { ContactNotice } from './ContactNotice.js';
import type { SortKey } from './contactOrder.js';
import { ContactTable } from './ContactTable.js';
import { InvitePartner } from './InvitePartner.js';
import { MyCard } from './MyCard.js';
import { useCardOffers, type CardOffer } from './useCardOffers.js';
import { Verify } from './Verify.js';

type Imported = AnswerOf<'contacts.importText'>;

export function Contacts({ onSetUpMail }: { onSetUpMail: () => void }) {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<ContactMessage | null>(null);
  const [verifying, setVerifying] = useState<Contact | null>(null);
  const [filter, setFilter] = useState('');
  const [sortBy, setSortBy] = useState<SortKey>('name');
  const importField = useRef<HTMLTextAreaElement>(null);
  const inviteField = useRef<HTMLInputElement>(null);
  const { busy, error, run, fail, clear } = useAction();
  const offers = useCardOffers();
  const reload = useCallback(() => void call('contacts.list', {}).then(setContacts, fail), [fail]);
  useEffect(reload, [reload]);
  // A refresh of partner directories (at unlock, hourly, "Refresh now") changes who is vouched for.
  useEffect(() => on('partners.changed', reload), [reload]);

  /** Imports a card however it came (null: the reader chose none), then says what the import found; whether it was imported. */
  const importCard = useCallback(
    async (work: () => Promise<Imported | null>) => {
      setMessage(null);
      const imported = await run(work);
      if (!imported.ok || !imported.value) return false;
      setText('');
      setMessage(importMessage(imported.value));
      reload();
      return true;
    },
    [run, reload],
  );
  /** A card that came by e-mail: imported as any card is; it leaves the list, or the list is looked at again. */
  const importOffer = async (offer: CardOffer) => {
    if (await importCard(() => call('contacts.acceptOffer', { id: offer.id }))) offers.taken(offer.id);
    else offers.look();
  };
  // A card the OS hands over (a double-clicked .medseal-contact file) is imported like a dropped one.
  useEffect(
    () =>
      on(
        'app.fileOpened',
        (event) =>
          event.kind === 'card' && void importCard(() => call('contacts.importFile', { token: event.file.token })),
      ),
    [importCard],
  );

  if (verifying)
    return (
      <Verify
        contact={verifying}
        onDone={(verified) => {
          setVerifying(null);
          // The "now compare safety numbers" notice of the import is stale once this is done.
          clear();
          setMessage(verified ? verifiedMessage(verifying.name) : null);
          reload();
        }}
      />
    );
  return (
    <section aria-labelledby="contacts-title">
      <h2 id="contacts-title">Contacts</h2>
      {/* One answer at a time: a failure replaces what the last import said. */}
      {error ? <ActionError error={error} /> : message && <ContactNotice message={message} />}
      <ContactTable
        contacts={contacts}
        filter={filter}
        sortBy={sortBy}
        onFilter={setFilter}
        onSort={setSortBy}
        onImportCard={() => importField.current?.focus()}
        onInvite={() => inviteField.current?.focus()}
        onVerify={setVerifying}
      />
      <CardOffers offers={offers} importing={busy} onImport={(offer) => void importOffer(offer)} />
      <InvitePartner field={inviteField} onSetUpMail={onSetUpMail} />
      <CardImport
        text={text}
        onText={setText}
        field={importField}
        onDrop={(file) =>
          void importCard(async () => call('contacts.importFile', { token: (await registerDropped(file)).token }))
        }
        onImportText={() => void importCard(() => call('contacts.importText', { text }))}
        onImportFile={() =>
          void importCard(async () => {
            const file = await call('files.pickCard', {});
            return file ? call('contacts.importFile', { token: file.token }) : null;
          })
        }
      />
      <MyCard />
    </section>
  );
}
