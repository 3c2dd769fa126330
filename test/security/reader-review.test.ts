/**
 * Attacks on passphrase packages and MedSeal Reader found in review
 * (test/helpers/reader-page.ts runs the built page in Chromium).
 *
 * 1. A contact of a mixed package (a contact and a partner without MedSeal)
 *    knows the file key and the header salt; the passphrase stanza is bound
 *    to nothing else (its wrap key names only the salt and the Argon2id
 *    parameters). So the contact can copy the stanza into a package of their
 *    own, signed with their own keys under a card with the real sender's
 *    name, and it opens with the six words the real sender read to the
 *    partner on the phone: the partner, who checks nothing but the words, is
 *    shown the contact's records as the sender's.
 * 2. "Save all" with the File System Access API: when a file's writable
 *    fails to open, or a save fails at `close` (a full disk, the browser's
 *    download protection), the files created or still open are neither
 *    aborted nor removed, files already closed stay saved, and the page
 *    says "Nothing was saved".
 * 3. A passphrase package that also carries the organisation recovery key
 *    (emergency access, FORMAT.md §2.12): the app's preview says who else can
 *    open it, SECURITY.md promises "recipients always see it", but MedSeal
 *    Reader shows the partner nothing of it.
 */
import { errorText } from '../../main/texts/errors/error-text.js';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from '../../main/crypto/primitives.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { readPublicHeader } from '../../main/package/header-reader.js';
import { unwrapFileKeyPq } from '../../main/package/key-schedule.js';
import { openPackage } from '../../main/package/open.js';
import { derivePassphraseKey } from '../../main/package/passphrase-key.js';
import { newPassphraseKdf, readPassphraseKdf, type PassphraseKey } from '../../main/package/passphrase-stanza.js';
import { newPackagePassphrase } from '../../main/package/passphrase-words.js';
import { sealPackage } from '../../main/package/seal.js';
import { createRecoveryCard } from '../../main/org-recovery/recovery-key.js';
import { launchChromium } from '../helpers/chromium.js';
import { fastIdentity } from '../helpers/identities.js';
import { sealSample, type SealedSample } from '../helpers/packages.js';
import { openPackageIn, openReader, pickerRecord } from '../helpers/reader-page.js';
import { writeSample } from '../helpers/temp-folder.js';
import { scaled } from '../helpers/time.js';
import { open as openFile } from 'node:fs/promises';

/** A stanza the forger copies in place of the one sealing would make (set only while forging). */
const stolen = vi.hoisted(() => ({ stanza: null as Buffer | null }));
vi.mock('../../main/package/passphrase-stanza.js', async (original) => {
  const actual = await original<typeof import('../../main/package/passphrase-stanza.js')>();
  return {
    ...actual,
    wrapFileKeyForPassphrase: (...args: Parameters<typeof actual.wrapFileKeyForPassphrase>) =>
      stolen.stanza ?? actual.wrapFileKeyForPassphrase(...args),
  };
});

const SAM = { name: 'Dr Sam Smith', email: 'sam@partner.example', phone: null };

let browser: Browser;
let folder: string;
let alice: UnlockedIdentity;
let bob: UnlockedIdentity;
let words: string;
let key: PassphraseKey;
let mixed: SealedSample;
let three: SealedSample;
let withRecovery: SealedSample;
let forgeries = 0;

async function readAtOf(path: string) {
  const handle = await openFile(path, 'r');
  return {
    handle,
    readAt: async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    },
  };
}

beforeAll(async () => {
  browser = await launchChromium();
  folder = await mkdtemp(join(tmpdir(), 'medseal-reader-review-'));
  alice = await fastIdentity('Alice');
  bob = await fastIdentity('Bob');
  words = newPackagePassphrase();
  key = await derivePassphraseKey(words, newPassphraseKdf());
  // Alice's referral, for her contact Bob and for Sam, who has no MedSeal (six words by phone).
  mixed = await sealSample({
    folder,
    name: 'mixed',
    sender: alice,
    recipients: [bob.card],
    sizes: [5_000],
    passphrase: { recipient: SAM, key },
  });
  three = await sealSample({
    folder,
    name: 'three',
    sender: alice,
    recipients: [],
    sizes: [5_000, 6_000, 7_000],
    passphrase: { recipient: SAM, key },
  });
  withRecovery = await sealSample({
    folder,
    name: 'recovery',
    sender: alice,
    recipients: [],
    sizes: [1_000],
    passphrase: { recipient: SAM, key },
    recoveryKey: createRecoveryCard(
      randomBytes(32),
      { organisation: 'General Hospital Trust', email: 'privacy@general.example' },
      new Date(),
    ),
  });
}, scaled(120_000));

afterAll(async () => {
  await browser?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("a contact of a mixed package forges a package that opens with the partner's words", () => {
  /** Bob, with only what a recipient has, makes a package of his own around Alice's passphrase stanza. */
  async function forgeAsBob(): Promise<string> {
    const { handle, readAt } = await readAtOf(mixed.path);
    let raw;
    try {
      raw = await (await readPublicHeader(readAt)).readRest();
    } finally {
      await handle.close();
    }
    const fileKey = unwrapFileKeyPq(raw.stanzas, bob.pqSecretKey!);
    expect(fileKey).not.toBeNull(); // Bob is a recipient: he has the file key
    // A card with Alice's name, organisation and e-mail, but keys of Bob's making.
    const fakeAlice = await fastIdentity('Alice');
    forgeries++;
    const inputs = join(folder, `forged-in-${forgeries}`);
    await mkdir(inputs, { recursive: true });
    await writeSample(join(inputs, 'results.pdf'), 3_000, 99);
    // The salt and file key are Alice's; everything else is fresh.
    const draws = [Buffer.from(raw.salt), fileKey!];
    const output = join(folder, `forged-${forgeries}.medseal`);
    stolen.stanza = Buffer.from(raw.passphraseStanza!);
    try {
      await sealPackage({
        sender: fakeAlice,
        recipients: [],
        passphrase: {
          recipient: SAM,
          key: { kdf: readPassphraseKdf(raw.passphraseStanza!), key: randomBytes(32) }, // not Alice's key
        },
        files: [{ path: join(inputs, 'results.pdf') }],
        note: 'Corrected results: please use these (forged by a contact).',
        output,
        chunkSizeLog2: 12,
        threads: 0,
        random: (length) => draws.shift() ?? randomBytes(length),
      });
    } finally {
      stolen.stanza = null;
    }
    return output;
  }

  it('the app refuses it: the words open only the package their sender sealed', async () => {
    const forged = await forgeAsBob();
    // The binding in the metadata (FORMAT.md §2.13) names Alice's key and her header: Bob cannot make one.
    await expect(openPackage(forged, { passphraseKey: key })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('MedSeal Reader refuses it too, and shows nothing of it as coming from Alice', async () => {
    const forged = await forgeAsBob();
    const reader = await openReader(browser, { streams: true });
    try {
      await openPackageIn(reader.page, forged, words);
      expect(await reader.page.locator('#result').textContent()).not.toContain('forged by a contact');
      expect(await reader.page.locator('form [role="alert"]').textContent()).toBe(errorText('SIGNATURE_INVALID'));
    } finally {
      await reader.context.close();
    }
  });
});

/** In the page: "Save all"'s folder fails for `name` at createWritable or at close; names closed are recorded. */
async function failInFolder(page: Page, name: string, when: 'createWritable' | 'close'): Promise<void> {
  await page.evaluate(
    ({ name, when }) => {
      const state = (window as unknown as { __reader: { closed?: string[] } }).__reader;
      state.closed = [];
      const pick = (window as unknown as { showDirectoryPicker: () => Promise<Folder> }).showDirectoryPicker;
      interface Writable {
        write(data: Uint8Array): Promise<void>;
        close(): Promise<void>;
        abort(): Promise<void>;
      }
      interface Folder {
        getFileHandle(name: string, options?: { create?: boolean }): Promise<{ createWritable(): Promise<Writable> }>;
        removeEntry(name: string): Promise<void>;
      }
      Object.assign(window, {
        showDirectoryPicker: async () => {
          const folder = await pick();
          return {
            removeEntry: (entry: string) => folder.removeEntry(entry),
            getFileHandle: async (entry: string, options?: { create?: boolean }) => {
              const handle = await folder.getFileHandle(entry, options);
              return {
                createWritable: async () => {
                  if (entry === name && when === 'createWritable')
                    throw new DOMException('The request is not allowed', 'NotAllowedError');
                  const writable = await handle.createWritable();
                  return {
                    write: (data: Uint8Array) => writable.write(data),
                    abort: () => writable.abort(),
                    close: async () => {
                      if (entry === name && when === 'close')
                        throw new DOMException('There is not enough space', 'QuotaExceededError');
                      await writable.close();
                      state.closed!.push(entry);
                    },
                  };
                },
              };
            },
          };
        },
      });
    },
    { name, when },
  );
}

describe('"Save all" when the browser fails a file after every chunk verified', () => {
  it('a failed close: the other files are not left half-done, and the page does not say nothing was saved', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    try {
      await openPackageIn(page, three.path, words);
      await failInFolder(page, three.names[1]!, 'close');
      await page.getByRole('button', { name: 'Save all files' }).click();
      const alert = page.locator('#result [role="alert"]');
      await expect.poll(() => alert.textContent()).not.toBe('');
      const record = await pickerRecord(page);
      const closed = await page.evaluate(
        () => (window as unknown as { __reader: { closed: string[] } }).__reader.closed,
      );
      // Every file was either saved or taken away again: none left open or created empty.
      for (const name of three.names)
        expect(closed.includes(name) || record.removed.includes(name), `${name} saved or removed`).toBe(true);
      // And the words match what happened: a file that is in the folder was saved.
      if (closed.length > 0) {
        expect(await alert.textContent()).not.toContain('Nothing was saved');
        for (const name of closed) expect(await alert.textContent()).toContain(name);
      }
    } finally {
      await context.close();
    }
  });

  it('a writable that cannot be made: the files already created in the folder are removed', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    try {
      await openPackageIn(page, three.path, words);
      await failInFolder(page, three.names[1]!, 'createWritable');
      await page.getByRole('button', { name: 'Save all files' }).click();
      const alert = page.locator('#result [role="alert"]');
      await expect.poll(() => alert.textContent()).not.toBe('');
      const record = await pickerRecord(page);
      expect(record.removed).toContain(three.names[0]); // created empty by getFileHandle({ create: true })
    } finally {
      await context.close();
    }
  });
});

describe('a passphrase package that an organisation recovery key can also open', () => {
  it('MedSeal Reader tells the partner, as the app does, who else can open it', async () => {
    const { page, context } = await openReader(browser, { streams: true });
    try {
      await openPackageIn(page, withRecovery.path, words);
      const shown = await page.locator('#result').textContent();
      expect(shown).toContain('Test Hospital'); // opened: the sender is shown
      expect(shown).toContain('General Hospital Trust'); // … and so should be the recovery key
    } finally {
      await context.close();
    }
  });
});
