/**
 * Benchmark (not a test): backup and restore of a busy profile, 10,000
 * packages in its history (two files each) with their 10,000 signed audit
 * entries, at the keystore's full Argon2id strength. Prints the database
 * size, the backup's size, and the time to write, restore and drill it.
 * Usage: node dist/bench/backup-size.mjs [--packages 10000] [--folder DIR]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium } from '../../main/crypto/sodium.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { writeBackup } from '../../main/services/backup.js';
import { PolicyGate } from '../../main/services/policy-gate.js';
import { ProfileSession } from '../../main/services/profile-session.js';
import { restoreDrill } from '../../main/services/restore-drill.js';
import { restoreBackup } from '../../main/services/restore.js';
import { argument } from './bench-args.js';

const PASS = 'correct horse battery staple for the benchmark';
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  await loadSodium();
  const count = Number(argument('--packages', '10000'));
  const root = await mkdtemp(
    join(argument('--folder', existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'medseal-bench-backup-'),
  );
  try {
    const folder = new ProfileFolder(join(root, 'profile'));
    const session = new ProfileSession(folder, PolicyGate.none());
    const profile = await session.create(
      { name: 'Dr Bench Marks', organisation: 'Bench Hospital', email: 'bench@hospital.example' },
      PASS,
    );
    const store = await session.openStore();
    store.db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const counterpart = (i % 50).toString(16).padStart(64, 'a');
        profile.history.record({
          packageHash: i.toString(16).padStart(64, '0'),
          direction: i % 2 ? 'sent' : 'received',
          counterpart,
          recipients: [counterpart],
          files: [
            { name: `referral-letter-${i}.pdf`, size: 100_000 + i },
            { name: `scan_${i}.dcm`, size: 5_000_000 },
          ],
          note: `synthetic note ${i}`,
          sealedAt: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
          recordedAt: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
        });
        profile.audit.append({
          action: i % 2 ? 'package.sealed' : 'package.opened',
          counterparts: [counterpart],
          fileCount: 2,
          totalBytes: 5_100_000 + i,
        });
      }
    })();
    const database = (await stat(folder.databasePath)).size;

    const backupPath = join(root, 'bench.medseal-backup');
    let start = process.hrtime.bigint();
    const written = await writeBackup(session, backupPath);
    const backupSeconds = seconds(start);
    session.close();

    start = process.hrtime.bigint();
    const target = new ProfileSession(new ProfileFolder(join(root, 'restored')), PolicyGate.none());
    await restoreBackup(target, backupPath, { passphrase: PASS });
    const restoreSeconds = seconds(start);
    target.close();

    start = process.hrtime.bigint();
    const drill = await restoreDrill(backupPath, PASS);
    const drillSeconds = seconds(start);

    console.log(
      `Backup of a profile with ${count.toLocaleString('en')} packages and ${drill.auditEntries.toLocaleString('en')} audit entries (Argon2id at full strength), folder ${root}`,
    );
    console.log('');
    console.log('| what | size | seconds |');
    console.log('| --- | ---: | ---: |');
    console.log(`| the profile's database | ${mib(database)} | |`);
    console.log(`| identity backup (write) | ${mib(written.bytes)} | ${backupSeconds.toFixed(2)} |`);
    console.log(
      `| identity restore (one Argon2id, decrypt, install, unlock, verify the audit chain) | | ${restoreSeconds.toFixed(2)} |`,
    );
    console.log(
      `| doctor --restore-drill (restore into a temporary folder, read everything back) | | ${drillSeconds.toFixed(2)} |`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

void main();
