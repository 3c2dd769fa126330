/**
 * Making a recovery kit, once for the app and the CLI. The kit is saved
 * before the keystore's recovery slot changes, and removed again if the
 * slot cannot be written: there is never a moment when the old code no
 * longer works and the new one exists nowhere.
 */
import { cleanUp } from '../errors/clean-up.js';
import { wipe } from '../crypto/primitives.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { recoveryKitHtml } from '../recovery/kit-document.js';
import { newRecoveryCode } from '../recovery/recovery-code.js';
import type { ProfileSession } from './profile-session.js';

export interface RecoveryKitFiles {
  /** The printable page (recovery/kit-document.ts). */
  readonly html: string;
  /** The bare code, one line of 24 words, for IT's sealed-envelope process and scripts. */
  readonly code: string;
}

/** Saves the kit somewhere and returns how to take it back. */
export type SaveRecoveryKit = (kit: RecoveryKitFiles) => Promise<() => Promise<void>>;

export async function makeRecoveryKit(
  session: ProfileSession,
  save: SaveRecoveryKit,
  now = new Date(),
): Promise<{ madeAt: string; replacedKitMadeAt: string | null }> {
  const { card } = session.requireUnlocked().identity;
  // When the kit this one replaces was made (null for the first): only a replacement stops an earlier kit.
  const replacedKitMadeAt = await session.identities.recoveryKitMadeAt();
  const code = newRecoveryCode();
  try {
    const html = await recoveryKitHtml({
      name: card.profile.name,
      organisation: card.profile.organisation,
      email: card.profile.email,
      fingerprint: fingerprintHex(card.fingerprint),
      identityCreatedAt: card.createdAt,
      kitMadeAt: now.toISOString(),
      words: code.words,
    });
    const undo = await save({ html, code: `${code.words.join(' ')}\n` });
    try {
      await session.setRecoveryCode(code.entropy, now);
    } catch (error) {
      await cleanUp(undo());
      throw error;
    }
    return { madeAt: now.toISOString(), replacedKitMadeAt };
  } finally {
    wipe(code.entropy);
  }
}
