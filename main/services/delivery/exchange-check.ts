/**
 * One exchange tried the way a delivery uses it, step by step, for
 * `medseal doctor` and Settings → "Test connection" alike: it connects (an
 * SFTP server's host key checked against the pin before the login), this
 * identity's own inbox is there, it carries a valid signed announcement of
 * our own for this very exchange, and it is writable (a fresh announcement
 * is written and read back, which also renews it). The first step that
 * fails stops the check; it is named with the error's words and the next
 * step. Errors are compared by code: the app's exchanges answer from a
 * worker thread.
 */
import { codeOf, isMedSealError } from '../../errors/medseal-error.js';
import { checkAnnouncement, createAnnouncement } from '../../exchange/inbox-announcement.js';
import type { Transport, TransportKind } from '../../exchange/transport.js';
import { fingerprintHex } from '../../identity/fingerprint.js';
import type { UnlockedIdentity } from '../../identity/unlocked-identity.js';
import {
  exchangeNextStep,
  type ExchangeCheckStepText as ExchangeCheckStep,
  type NextStep,
} from '../../texts/exchange-check-texts.js';
import { InboxMissing, InboxNotAnnounced, InboxNotWritable, LoginKeyMissing } from './errors.js';
import type { ExchangeInfo } from './exchanges.js';

export type { ExchangeCheckStep };

export interface ExchangeCheck {
  readonly name: string;
  /** As people see it: "Lab partners (sftp.lab.example)". */
  readonly label: string;
  readonly kind: TransportKind;
  readonly managed: boolean;
  /** The steps that passed, in order. */
  readonly passed: readonly ExchangeCheckStep[];
  /** The step that failed, its error (code and words, never a path) and what to do next; null when every step passed. */
  readonly failed: {
    readonly step: ExchangeCheckStep;
    readonly code: string;
    readonly message: string;
    readonly next: NextStep;
  } | null;
}

const HOST_KEY_CHANGED = 'HOST_KEY_CHANGED';

/**
 * The steps of one check as they go: those that passed, the answer when all did (`result(null)`), and
 * the answer for the step that failed, in the error's words with what to do next (`fail`). Only an
 * unexpected fault (not a MedSeal error) is thrown.
 */
export function checkSteps(entry: ExchangeInfo) {
  const passed: ExchangeCheckStep[] = [];
  const result = (failed: ExchangeCheck['failed']): ExchangeCheck => ({
    name: entry.name,
    label: entry.label,
    kind: entry.kind,
    managed: entry.managed,
    passed,
    failed,
  });
  const fail = (step: ExchangeCheckStep, error: unknown): ExchangeCheck => {
    if (!isMedSealError(error)) throw error;
    const code = codeOf(error);
    return result({
      step,
      code,
      message: error.userMessage,
      next: exchangeNextStep(step, code, entry.name, entry.managed),
    });
  };
  return { passed, result, fail };
}

/** Tries `transport` (the exchange `entry`) for `identity`; only an unexpected fault (not a MedSeal error) is thrown. */
export async function checkExchange(
  entry: ExchangeInfo,
  transport: Transport | null,
  identity: UnlockedIdentity,
  now = new Date(),
): Promise<ExchangeCheck> {
  const { passed, result, fail } = checkSteps(entry);
  if (transport === null) return fail('connect', new LoginKeyMissing(entry.name));
  const me = fingerprintHex(identity.card.fingerprint);

  let present: boolean;
  try {
    present = await transport.hasInbox(me); // connects; an SFTP server's key is checked before the login
  } catch (error) {
    if (codeOf(error) !== HOST_KEY_CHANGED) return fail('connect', error);
    passed.push('connect');
    return fail('host-key', error);
  }
  passed.push('connect');
  if (entry.kind === 'sftp') passed.push('host-key');
  if (!present) return fail('inbox', new InboxMissing(entry.name));
  passed.push('inbox');

  let binding: string | null;
  try {
    binding = await transport.binding(false);
    const found = checkAnnouncement(identity.card, await transport.announcement(me), binding, now);
    if (!found.ok) return fail('announced', new InboxNotAnnounced(entry.name, found.problem));
  } catch (error) {
    return fail('announced', error);
  }
  passed.push('announced');

  try {
    const owner = await transport.claimInbox(me); // ours already: refused if another account made it
    await transport.announce(me, createAnnouncement(identity, binding!, owner, now));
    if (!checkAnnouncement(identity.card, await transport.announcement(me), binding, now).ok)
      return fail('writable', new InboxNotWritable(entry.name));
  } catch (error) {
    return fail('writable', error);
  }
  passed.push('writable');
  return result(null);
}
