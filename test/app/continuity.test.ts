/**
 * The app's recovery kit, backup, restore and recovery, through the
 * dispatcher as the window calls them (dialogs answered by the fake host):
 * a clinician saves a kit and a backup, a fresh workstation restores it,
 * and a forgotten passphrase is reset with the kit's words.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinician, newApp, PASS, verifyEachOther } from '../helpers/clinicians.js';
import { tempFolder } from '../helpers/temp-folder.js';

const NEW = 'violet harbour seven lanterns';

/** The 24 words as the kit page prints them ("1. word   2. word …"). */
function wordsOf(html: string): string {
  return [...html.matchAll(/\d+\. ([a-z]+)/g)].map((match) => match[1]).join(' ');
}

describe('identity continuity in the app', () => {
  it('kit and backup saved in Settings; a fresh workstation restores the backup; the kit resets a forgotten passphrase', async () => {
    const work = await tempFolder();
    const alice = await clinician(work, 'alice', 'alice@general.example', 'General Hospital');
    const bob = await clinician(work, 'bob', 'bob@lab.example', 'Partner Lab');
    await verifyEachOther(alice, bob);

    expect(await alice.call('identity.recoveryKitStatus')).toEqual({ madeAt: null });
    expect(await alice.call('identity.makeRecoveryKit')).toEqual({ saved: false, madeAt: null }); // dialog cancelled: nothing changes
    expect(await alice.call('identity.recoveryKitStatus')).toEqual({ madeAt: null });
    alice.host.answers.save.push(join(work, 'kit.html'));
    const kit = await alice.call('identity.makeRecoveryKit');
    expect(kit).toMatchObject({ saved: true, madeAt: expect.any(String) });
    expect(alice.host.saveRequests.at(-1)).toEqual({
      kind: 'recovery-kit',
      defaultName: expect.stringMatching(/^MedSeal recovery kit \d{4}-\d{2}-\d{2}\.html$/),
    });
    expect(await alice.call('identity.recoveryKitStatus')).toEqual({ madeAt: kit.madeAt });
    const words = wordsOf(await readFile(join(work, 'kit.html'), 'utf8'));
    expect(words.split(' ')).toHaveLength(24);

    alice.host.answers.save.push(join(work, 'alice.medseal-backup'));
    expect(await alice.call('backup.save')).toMatchObject({ saved: true, bytes: expect.any(Number) });

    const newPc = await newApp(work, 'alice-new-pc');
    expect((await newPc.call('session.status')).state).toBe('no-identity');
    newPc.host.answers.backup.push(join(work, 'alice.medseal-backup'));
    const picked = await newPc.call('backup.pick');
    expect(picked.owner).toMatchObject({
      name: 'alice',
      organisation: 'General Hospital',
      email: 'alice@general.example',
    });
    await expect(
      newPc.call('backup.restore', { token: picked.token, passphrase: PASS, recoveryCode: words }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    await expect(newPc.call('backup.restore', { token: picked.token, recoveryCode: words })).rejects.toMatchObject({
      code: 'NEW_PASSPHRASE_NEEDED',
    });
    await expect(
      newPc.call('backup.restore', { token: picked.token, passphrase: 'not the passphrase' }),
    ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect((await newPc.call('backup.restore', { token: picked.token, passphrase: PASS })).email).toBe(
      'alice@general.example',
    );
    expect((await newPc.call('session.status')).state).toBe('unlocked');
    expect(
      (await newPc.call('contacts.list')).map((contact: { email: string; state: string }) => [
        contact.email,
        contact.state,
      ]),
    ).toEqual([['bob@lab.example', 'verified']]);

    // A kit is never restored (one replaced since must not come back): a new one is made here.
    expect(await newPc.call('identity.recoveryKitStatus')).toEqual({ madeAt: null });
    newPc.host.answers.save.push(join(work, 'kit-2.html'));
    await newPc.call('identity.makeRecoveryKit');
    const newWords = wordsOf(await readFile(join(work, 'kit-2.html'), 'utf8'));

    // Forgotten passphrase on the new workstation: the new kit's words set a new one; the old kit's do not.
    await newPc.call('session.lock');
    await expect(
      newPc.call('identity.recover', { code: newWords.replace(/^\S+/, 'zzzz'), newPassphrase: NEW }),
    ).rejects.toMatchObject({ code: 'RECOVERY_CODE_INVALID' });
    await expect(newPc.call('identity.recover', { code: words, newPassphrase: NEW })).rejects.toMatchObject({
      code: 'RECOVERY_CODE_WRONG',
    });
    await newPc.call('identity.recover', { code: newWords, newPassphrase: NEW });
    expect((await newPc.call('session.status')).state).toBe('unlocked');
    await newPc.call('session.lock');
    await expect(newPc.call('session.unlock', { passphrase: PASS, remember: false })).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await newPc.call('session.unlock', { passphrase: NEW, remember: false });
    // Every unlock is an access, and the log says the app made it.
    newPc.host.answers.save.push(join(work, 'audit.jsonl'));
    await newPc.call('audit.export', { format: 'jsonl' });
    const entries = (await readFile(join(work, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action?: string; detail?: string | null });
    expect(entries.filter((entry) => entry.action === 'identity.unlocked').at(-1)?.detail).toBe('app');
  });
});
