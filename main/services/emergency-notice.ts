/**
 * After an emergency access, the operator's own MedSeal (`--notify`)
 * records it in their signed audit log (which also goes to the SIEM) and
 * tells the package's sender and recipients: a small package sealed by the
 * recovery key, holding the signed record, delivered through the
 * operator's exchanges to everyone whose inbox they reach. Nobody learns
 * more than they could already read: the notice names the package by its
 * id, never its files.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import type { UnlockedIdentity } from '../identity/unlocked-identity.js';
import type { EmergencyRecordBody } from '../org-recovery/emergency-record.js';
import type { SignedRecord } from '../org-recovery/emergency-log.js';
import type { PackageMetadata } from '../package/metadata.js';
import { sealPackage } from '../package/seal.js';
import type { DeliveryService } from './delivery/delivery.js';
import type { ProfileSession } from './profile-session.js';

/** Who was told, of the package's sender and recipients; never the operator, whose own audit log has the use. */
export interface NoticeOutcome {
  /** Fingerprints of the parties whose inbox got the notice. */
  readonly notified: readonly string[];
  /** Parties not reached: no card known, or no exchange reaches them. */
  readonly unreached: readonly string[];
}

function noticeText(key: UnlockedIdentity, record: EmergencyRecordBody, metadata: PackageMetadata): string {
  return [
    `Emergency access notice from ${key.card.profile.organisation}.`,
    `The package sealed by ${metadata.sender.profile.name} on ${metadata.createdAt} (package id ${record.subject.slice(0, 16)}) was opened with the organisation's recovery key on ${record.at},`,
    `by ${record.operator} with ${record.custodians.join(', ')}.`,
    `Reason given: ${record.reason}`,
    `This is record ${record.seq} of the organisation's emergency-access log; the attached file is that record, signed by the recovery key. Questions: ${key.card.profile.email}.`,
  ].join('\n');
}

/** Records the use in the operator's audit log, then seals and delivers the notice; the key must still be live. */
export async function sendEmergencyNotice(
  session: ProfileSession,
  delivery: DeliveryService,
  key: UnlockedIdentity,
  signed: SignedRecord,
  metadata: PackageMetadata,
): Promise<NoticeOutcome> {
  const record = signed.body;
  const profile = session.requireUnlocked();
  const parties = [record.owner, ...record.recipients.filter((fingerprint) => fingerprint !== record.owner)];
  profile.audit.append({
    action: 'emergency-access.used',
    counterparts: parties,
    detail: `${record.action}:${record.seq}`,
  });
  const contacts = new Map((await profile.contacts.list()).map((contact) => [contact.fingerprint, contact.card]));
  contacts.set(fingerprintHex(metadata.sender.fingerprint), metadata.sender);
  const operator = fingerprintHex(profile.identity.card.fingerprint);
  const others = parties.filter((fingerprint) => fingerprint !== operator);
  const cards = others
    .map((fingerprint) => contacts.get(fingerprint))
    .filter((card): card is ContactCard => card !== undefined);
  if (cards.length === 0) return { notified: [], unreached: others };
  const work = await mkdtemp(join(session.folder.path, '.medseal-notice-'));
  try {
    await writeFile(join(work, 'emergency-access-record.json'), `${signed.line}\n`, { mode: 0o600 });
    const sealed = await sealPackage({
      sender: key,
      recipients: cards,
      files: [{ path: join(work, 'emergency-access-record.json') }],
      note: noticeText(key, record, metadata),
      output: join(work, 'notice.medseal'),
    });
    // The sender need not be the operator's contact: their card is the one named in their package.
    const outcome = await delivery.deliverPackage(
      join(work, 'notice.medseal'),
      sealed.packageHash,
      sealed.recipientFingerprints,
      { cards },
    );
    const notified = new Set(outcome.delivered.map((entry) => entry.recipient));
    return {
      notified: others.filter((party) => notified.has(party)),
      unreached: others.filter((party) => !notified.has(party)),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
