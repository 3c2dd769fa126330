/**
 * The mailbox tried both ways, for `medseal doctor` and "Test connection"
 * alike: the submission server (TLS verified, login), the IMAP server (TLS
 * verified, login, INBOX), then a test message to the person's own address
 * that must arrive and is then deleted. It runs here rather than through a
 * worker transport: it is a one-off, and it uses calls only e-mail has.
 * A mailbox the policy does not allow (`entry.ready` false) is not tried:
 * its password is never sent to servers the organisation did not approve.
 */
import type { MailAccount } from '../../exchange/mail/mail-account.js';
import { MailTransport } from '../../exchange/mail/mail-transport.js';
import { MailboxMissing, TestMessageLate } from './errors.js';
import { checkSteps, type ExchangeCheck } from './exchange-check.js';
import type { ExchangeInfo } from './exchanges.js';

/** How long the test message may take to come back. */
export const ROUND_TRIP_TIMEOUT_MS = 60_000;

export async function checkMailbox(
  entry: ExchangeInfo,
  account: MailAccount,
  timeoutMs = ROUND_TRIP_TIMEOUT_MS,
): Promise<ExchangeCheck> {
  const { passed, result, fail } = checkSteps(entry);
  // A mailbox the policy no longer allows (its servers not the organisation's): not even a login is tried.
  if (!entry.ready) return fail('sending', new MailboxMissing());
  const transport = new MailTransport(account.address, account);
  try {
    try {
      await transport.sizeLimit();
    } catch (error) {
      return fail('sending', error);
    }
    passed.push('sending');
    try {
      await transport.waiting();
    } catch (error) {
      return fail('receiving', error);
    }
    passed.push('receiving');
    try {
      if (!(await transport.roundTrip(timeoutMs)))
        return fail('round-trip', new TestMessageLate(Math.round(timeoutMs / 1000)));
    } catch (error) {
      return fail('round-trip', error);
    }
    passed.push('round-trip');
    return result(null);
  } finally {
    await transport.close();
  }
}
