/**
 * Clinicians for in-process delivery tests: a profile at the keystore's KDF
 * floor under a policy the test chose, and the services the app and the
 * CLI use for it (exchanges, delivery and its queue, send, receive, the inbox).
 */
import { join } from 'node:path';
import { KDF_FLOOR } from '../../main/crypto/kdf.js';
import { InProcessPackageJobs } from '../../main/jobs/in-process-package-jobs.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { DeliveryService } from '../../main/services/delivery/delivery.js';
import { DeliveryQueue } from '../../main/services/delivery/delivery-queue.js';
import { Exchanges } from '../../main/services/delivery/exchanges.js';
import { InboxService } from '../../main/services/delivery/inbox.js';
import { Receipts } from '../../main/services/delivery/receipts.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { ReceiveService } from '../../main/services/receive.js';
import { SendService } from '../../main/services/send.js';

export const PERSON_PASSPHRASE = 'correct horse battery staple';

/** A new identity `name` <`email`> in `folder/name`, unlocked. */
export async function person(
  folder: string,
  name: string,
  email: string,
  policy: PolicyGate = PolicyGate.none(),
): Promise<ProfileSession> {
  const session = new ProfileSession(new ProfileFolder(join(folder, name)), policy, KDF_FLOOR);
  await session.create({ name, organisation: 'Test Org', email }, PERSON_PASSPHRASE);
  return session;
}

/** The delivery services of one profile, as the CLI wires them. */
export function services(session: ProfileSession, now?: () => Date) {
  const jobs = new InProcessPackageJobs();
  const exchanges = new Exchanges(session);
  const delivery = new DeliveryService(session, exchanges);
  const receive = new ReceiveService(session, jobs);
  return {
    exchanges,
    delivery,
    queue: new DeliveryQueue(session, delivery, now),
    receive,
    send: new SendService(session, jobs),
    inbox: new InboxService(session, exchanges, receive, delivery, new Receipts(session)),
  };
}
