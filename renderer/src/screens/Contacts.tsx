/** Contacts: import (paste or file), states, verification with the safety number (once, in groups, and as a QR code), my card. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AppError, call, messageOf, on, type AnswerOf } from '../api.js';
import { Notice } from '../components/Notice.js';
import { QrCode } from '../components/QrCode.js';
import { TrustBadge } from '../components/TrustBadge.js';
import { ContactActions } from '../components/ContactActions.js';
import { CLASSICAL_ONLY_LABEL, POST_QUANTUM_READY_LABEL } from '../../../main/texts/protection-texts.js';
import {
  IMPORT_OUTCOME_TEXT,
  lookAlikeText,
  MIXED_SCRIPT_EMAIL_TEXT,
  revealedEmail,
} from '../../../main/texts/contact-texts.js';
import { groupDigits } from '../format.js';

type Contact = AnswerOf<'contacts.list'>[number];
type Imported = AnswerOf<'contacts.importText'>;

const described = (person: { name: string; role?: string; organisation: string; email: string }) =>
  `${person.name}${person.role ? `, ${person.role}` : ''}, ${person.organisation} <${person.email}>`;

/** What an import found to warn about: the details before and now, an address in mixed alphabets, the look-alikes. */
function importWarnings(result: Imported): string[] {
  const lines: string[] = [];
  if (result.outcome === 'identity-changed' && result.previous)
    lines.push(`Before: ${described(result.previous)}`, `Now: ${described(result.contact)}`);
  if (result.mixedScriptEmail)
    lines.push(`${MIXED_SCRIPT_EMAIL_TEXT} The address, letter by letter: ${revealedEmail(result.contact.email)}`);
  for (const alike of result.lookAlikes)
    lines.push(lookAlikeText(described(result.contact), alike.reason, described(alike)));
  return lines;
}

function Digits({ label, digits }: { label: string; digits: string }) {
  return (
    <div className="digits" aria-label={`${label}: ${groupDigits(digits).join(' ')}`}>
      <h4>{label}</h4>
      <p>
        {groupDigits(digits).map((group, index) => (
          <span key={index}>{group}</span>
        ))}
      </p>
    </div>
  );
}

function Verify({ contact, onDone }: { contact: Contact; onDone: (verified: boolean) => void }) {
  const [numbers, setNumbers] = useState<AnswerOf<'contacts.safetyNumber'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('contacts.safetyNumber', { fingerprint: contact.fingerprint }).then(setNumbers, (caught: unknown) =>
      setError(messageOf(caught)),
    );
  }, [contact.fingerprint]);
  const verify = async () => {
    if (!numbers) return;
    try {
      await call('contacts.verify', { fingerprint: contact.fingerprint, safetyNumber: numbers.safetyNumber });
      onDone(true);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  return (
    <section className="verify" aria-labelledby="verify-title">
      <h3 id="verify-title">Verify {contact.name}</h3>
      {contact.state === 'key-changed' && (
        <Notice kind="warning">
          {contact.name}'s keys have changed. Old fingerprint: <code>{contact.previousFingerprints.at(-1)}</code>. New
          fingerprint: <code>{contact.fingerprint}</code>. Sending is blocked until you compare safety numbers again.
        </Notice>
      )}
      <p id="verify-instruction">
        With {contact.name} on the phone or in person (not by e-mail), read these 60 digits to each other, group by
        group. {contact.name}'s MedSeal shows the same number for you: if every group matches, mark them verified.
      </p>
      {numbers ? (
        <>
          <Digits label="Safety number" digits={numbers.safetyNumber} />
          <QrCode
            text={groupDigits(numbers.safetyNumber).join(' ')}
            label={`QR code of the same 60 digits, for ${contact.name} to scan with a phone's camera in person`}
          />
          <button type="button" onClick={() => void verify()}>
            The numbers match — mark verified
          </button>
        </>
      ) : (
        <p className="muted">Computing…</p>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <ContactActions contact={contact} onDone={() => onDone(false)} />
      <button type="button" className="secondary" onClick={() => onDone(false)}>
        Back
      </button>
    </section>
  );
}

function MyCard() {
  const [card, setCard] = useState<AnswerOf<'identity.myCard'> | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    void call('identity.myCard', {}).then(setCard);
  }, []);
  if (!card) return null;
  return (
    <section aria-labelledby="mycard-title" className="mycard">
      <h3 id="mycard-title">Your contact card</h3>
      <p>
        Send it to your partners (a file, or paste the text into an e-mail), then compare safety numbers with each of
        them.
      </p>
      <label htmlFor="mycard-text">Card text</label>
      <textarea id="mycard-text" readOnly rows={6} value={card.armored} onFocus={(event) => event.target.select()} />
      <div className="row">
        <button
          type="button"
          onClick={() =>
            void call('identity.saveMyCard', {}).then((result) => setSaved(result.saved ? 'Card saved.' : null))
          }
        >
          Save as file…
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void call('identity.copyMyCard', {}).then(() => setSaved('Card copied: paste it into an e-mail.'))
          }
        >
          Copy
        </button>
        <QrCode text={card.armored} label="QR code of your contact card" />
      </div>
      {saved && <Notice kind="success">{saved}</Notice>}
    </section>
  );
}

type SortKey = 'name' | 'organisation' | 'state';
/** Contacts needing attention first: changed keys block sending, then those never verified. */
const STATE_ORDER: Record<Contact['state'], number> = {
  'key-changed': 0,
  unverified: 1,
  'org-verified': 2,
  verified: 3,
};

function sortedContacts(contacts: readonly Contact[], filter: string, sortBy: SortKey): Contact[] {
  const needle = filter.trim().toLowerCase();
  const byName = (a: Contact, b: Contact) => a.name.localeCompare(b.name);
  const order: Record<SortKey, (a: Contact, b: Contact) => number> = {
    name: byName,
    organisation: (a, b) => a.organisation.localeCompare(b.organisation) || byName(a, b),
    state: (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || byName(a, b),
  };
  return contacts
    .filter(
      (contact) => !needle || `${contact.name} ${contact.organisation} ${contact.email}`.toLowerCase().includes(needle),
    )
    .sort(order[sortBy]);
}

export function Contacts() {
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{
    kind: 'error' | 'success' | 'warning';
    text: string;
    details?: string[];
  } | null>(null);
  const [verifying, setVerifying] = useState<Contact | null>(null);
  const [filter, setFilter] = useState('');
  const [sortBy, setSortBy] = useState<SortKey>('name');
  const importField = useRef<HTMLTextAreaElement>(null);
  const reload = useCallback(() => {
    call('contacts.list', {}).then(setContacts, (caught: unknown) =>
      setMessage({ kind: 'error', text: messageOf(caught) }),
    );
  }, []);
  useEffect(reload, [reload]);
  const imported = (result: Imported) => {
    setText('');
    const details = importWarnings(result);
    setMessage(
      result.outcome === 'key-changed'
        ? {
            kind: 'warning',
            text: `${result.contact.name}'s keys have changed. Sending to them is blocked until you verify again.`,
            details,
          }
        : result.outcome === 'identity-changed'
          ? { kind: 'warning', text: IMPORT_OUTCOME_TEXT['identity-changed'], details }
          : {
              kind: details.length > 0 ? 'warning' : 'success',
              text: `${result.contact.name} ${result.outcome === 'unchanged' ? 'was already in your contacts' : result.outcome === 'updated' ? 'has a newer card' : 'was added'}. Now compare safety numbers with them.`,
              details,
            },
    );
    reload();
  };
  const run = async (work: () => Promise<AnswerOf<'contacts.importText'> | null>) => {
    setMessage(null);
    try {
      const result = await work();
      if (result) imported(result);
    } catch (caught) {
      setMessage({ kind: 'error', text: messageOf(caught) });
    }
  };
  const latestRun = useRef(run);
  latestRun.current = run;
  // Subscribed once; a card the OS hands over is imported through the current `run`.
  useEffect(
    () =>
      on(
        'app.fileOpened',
        (event) =>
          event.kind === 'card' &&
          void latestRun.current(() => call('contacts.importFile', { token: event.file.token })),
      ),
    [],
  );

  if (verifying)
    return (
      <Verify
        contact={verifying}
        onDone={(verified) => {
          setVerifying(null);
          // The "now compare safety numbers" notice of the import is stale once this is done.
          setMessage(verified ? { kind: 'success', text: `${verifying.name} is verified.` } : null);
          reload();
        }}
      />
    );
  const shown = contacts === null ? [] : sortedContacts(contacts, filter, sortBy);
  return (
    <section aria-labelledby="contacts-title">
      <h2 id="contacts-title">Contacts</h2>
      {message && (
        <Notice kind={message.kind} focus>
          {message.text}
          {message.details && message.details.length > 0 && (
            <ul>
              {message.details.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      {contacts !== null && contacts.length > 0 && (
        <div className="row contact-tools">
          <div>
            <label htmlFor="contact-filter">Find a contact</label>
            <input
              id="contact-filter"
              type="search"
              placeholder="Name, organisation or e-mail"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
            />
          </div>
          <div>
            <label htmlFor="contact-sort">Sort by</label>
            <select id="contact-sort" value={sortBy} onChange={(event) => setSortBy(event.target.value as SortKey)}>
              <option value="name">Name</option>
              <option value="organisation">Organisation</option>
              <option value="state">State (needing attention first)</option>
            </select>
          </div>
          <button type="button" className="secondary" onClick={() => importField.current?.focus()}>
            Import a card
          </button>
        </div>
      )}
      {contacts !== null && contacts.length > 0 && (
        <p className="muted" aria-live="polite">
          {shown.length === contacts.length
            ? `${contacts.length} contacts`
            : `${shown.length} of ${contacts.length} contacts match`}
        </p>
      )}
      {contacts === null ? (
        <p className="muted">Loading…</p>
      ) : contacts.length === 0 ? (
        <p className="empty">No contacts yet. Import a partner's card below.</p>
      ) : (
        <div
          className="scroll-x"
          tabIndex={0}
          role="region"
          aria-label="Your contacts (scrolls sideways on a narrow window)"
        >
          <table className="contacts compact">
            <caption className="visually-hidden">Your contacts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Organisation</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((contact) => (
                <tr key={contact.fingerprint}>
                  <td className="truncate" title={contact.email}>
                    {contact.name}
                    <br />
                    <span className="muted">{contact.email}</span>
                  </td>
                  <td className="truncate">{contact.organisation}</td>
                  <td>
                    <TrustBadge state={contact.state} />
                    <br />
                    <span className="muted">
                      {contact.postQuantum ? POST_QUANTUM_READY_LABEL : CLASSICAL_ONLY_LABEL}
                    </span>
                  </td>
                  <td>
                    <button type="button" className="secondary" onClick={() => setVerifying(contact)}>
                      {contact.state === 'verified' ? 'Safety number' : `Verify ${contact.name}`}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Import a contact card</h3>
      <div
        className="dropzone"
        onDragOver={(event) => event.preventDefault()}
        onDrop={(event) => {
          event.preventDefault();
          const file = event.dataTransfer.files[0];
          if (file)
            void run(async () => {
              const result = await window.medseal.registerDroppedFile(file);
              if (!result.ok) throw new AppError(result.error.code, result.error.category, result.error.message);
              return call('contacts.importFile', { token: result.value.token });
            });
        }}
      >
        <p>Drop a .medseal-contact file here</p>
      </div>
      <label htmlFor="card-paste">Paste the card text from an e-mail</label>
      <textarea
        id="card-paste"
        ref={importField}
        rows={5}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <div className="row">
        <button
          type="button"
          disabled={!text.trim()}
          onClick={() => void run(() => call('contacts.importText', { text }))}
        >
          Import pasted card
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void run(async () => {
              const file = await call('files.pickCard', {});
              return file ? call('contacts.importFile', { token: file.token }) : null;
            })
          }
        >
          Import card file…
        </button>
      </div>
      <MyCard />
    </section>
  );
}
