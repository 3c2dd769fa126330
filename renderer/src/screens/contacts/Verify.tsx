/**
 * Verifying a contact: their safety number (once, in groups, and as a QR code to scan in
 * person), compared on the phone or face to face, then marked verified; what else may be done
 * with the contact (ContactActions).
 */
import { useEffect, useState } from 'react';
import { call, type AnswerOf, type Contact } from '../../api.js';
import { ActionError } from '../../components/ActionError.js';
import { ContactActions } from '../../components/ContactActions.js';
import { Notice } from '../../components/Notice.js';
import { QrCode } from '../../components/QrCode.js';
import { groupDigits } from '../../format.js';
import { useAction } from '../../useAction.js';
import { SafetyDigits } from './SafetyDigits.js';

export function Verify({ contact, onDone }: { contact: Contact; onDone: (verified: boolean) => void }) {
  const [numbers, setNumbers] = useState<AnswerOf<'contacts.safetyNumber'> | null>(null);
  const { error, run, fail } = useAction();
  useEffect(() => {
    call('contacts.safetyNumber', { fingerprint: contact.fingerprint }).then(setNumbers, fail);
  }, [contact.fingerprint, fail]);
  const verify = async () => {
    if (!numbers) return;
    const verified = await run(() =>
      call('contacts.verify', { fingerprint: contact.fingerprint, safetyNumber: numbers.safetyNumber }),
    );
    if (verified.ok) onDone(true);
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
          <SafetyDigits label="Safety number" digits={numbers.safetyNumber} />
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
      <ActionError error={error} focus={false} />
      <ContactActions contact={contact} onDone={() => onDone(false)} />
      <button type="button" className="secondary" onClick={() => onDone(false)}>
        Back
      </button>
    </section>
  );
}
