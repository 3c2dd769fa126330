/**
 * Typed settings (store/settings.ts): each value read back as written, and a
 * stored text that is not JSON or not of the setting's shape (edited outside
 * MedSeal, or written by another version) is none, so the default applies,
 * never a half-read value. The settings table is not sealed, so this is
 * what a hand-edited database gets.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database.js';
import { ProfileStore } from '../../main/store/profile-store.js';
import type { SettingName } from '../../main/store/settings.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { tempFolder } from '../helpers/temp-folder.js';

const HASH = 'ab'.repeat(32);

async function storeWithRaw(raw: Record<string, string>): Promise<ProfileStore> {
  const folder = new ProfileFolder(`${await tempFolder('medseal-settings-')}/profile`);
  const store = await ProfileStore.open(folder);
  const db = openDatabase(folder.databasePath);
  try {
    for (const [key, value] of Object.entries(raw))
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(key, value);
  } finally {
    db.close();
  }
  return store;
}

describe('typed settings', () => {
  it('read back what was written', async () => {
    const store = await storeWithRaw({});
    const { settings } = store;
    settings.set('siemForwarded', { 'syslog.example:6514': 41 });
    settings.set('exchangeNames', { '/srv/exchange': 'Lab partners' });
    settings.set('withdrawalsSeen', ['a:b']);
    settings.set('directoryHeadSeen', { seq: 3, hash: HASH, issuedAt: '2026-12-01T00:00:00Z' });
    expect(settings.get('siemForwarded')).toEqual({ 'syslog.example:6514': 41 });
    expect(settings.get('exchangeNames')).toEqual({ '/srv/exchange': 'Lab partners' });
    expect(settings.get('withdrawalsSeen')).toEqual(['a:b']);
    expect(settings.get('directoryHeadSeen')).toEqual({ seq: 3, hash: HASH, issuedAt: '2026-12-01T00:00:00Z' });
    store.close();
  });

  it.each<[SettingName, string, string]>([
    ['siemForwarded', 'siem.forwarded', '{"syslog.example:6514": -1}'],
    ['siemForwarded', 'siem.forwarded', '[1, 2]'],
    ['exchangeNames', 'exchange.names', '{"/srv/exchange": 7}'],
    ['withdrawalsSeen', 'inbox.withdrawalsSeen', '["a", 1]'],
    ['withdrawalsSeen', 'inbox.withdrawalsSeen', 'not json'],
    ['directoryHeadSeen', 'directory.headSeen', `{"seq": 1, "hash": "${'AB'.repeat(32)}", "issuedAt": "x"}`],
    ['directoryHeadSeen', 'directory.headSeen', 'null'],
    ['directoryGossip', 'directory.gossip', '{"pending": "none"}'],
  ])('%s stored as %s = %s is none', async (name, key, text) => {
    const store = await storeWithRaw({ [key]: text });
    expect(store.settings.get(name)).toBeNull();
    store.close();
  });

  it('a held head keeps its signature only when both it and validUntil are text', async () => {
    const head = { seq: 2, hash: HASH, issuedAt: '2026-12-01T00:00:00Z' };
    const signed = { ...head, validUntil: '2026-12-31T00:00:00Z', signature: 'c2ln' };
    const both = await storeWithRaw({ 'directory.headSeen': JSON.stringify({ ...signed, extra: 1 }) });
    expect(both.settings.get('directoryHeadSeen')).toEqual(signed);
    both.close();
    const half = await storeWithRaw({ 'directory.headSeen': JSON.stringify({ ...head, signature: 'c2ln' }) });
    expect(half.settings.get('directoryHeadSeen')).toEqual(head);
    half.close();
    const wrong = await storeWithRaw({ 'directory.headSeen': JSON.stringify({ ...signed, validUntil: 5 }) });
    expect(wrong.settings.get('directoryHeadSeen')).toEqual(head);
    wrong.close();
  });
});
