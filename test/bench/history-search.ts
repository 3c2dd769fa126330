/**
 * Benchmark (not a test): a profile with 100,000 recorded packages (two files
 * each). Measures what a clinician waits for: loading and decrypting the
 * history after unlock, then listing and searching it by file name in memory.
 * Usage: npm run bench:history [-- --packages 100000]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchIdentity } from './bench-identity.js';
import { ProfileFolder } from '../../main/profile/profile-folder.js';
import { PackageIndex } from '../../main/store/package-index.js';
import { ProfileStore } from '../../main/store/profile-store.js';

const count = Number(process.argv[process.argv.indexOf('--packages') + 1] || 100_000) || 100_000;
const WORDS = [
  'referral',
  'discharge',
  'letter',
  'ecg',
  'mri',
  'ct',
  'lab',
  'results',
  'scan',
  'summary',
  'consent',
  'biopsy',
  'xray',
  'echo',
];

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'medseal-bench-history-'));
  try {
    const folder = new ProfileFolder(join(root, 'profile'));
    const me = await benchIdentity('Bench');
    const store = await ProfileStore.open(folder);
    const profile = await store.unlock(me);
    let start = process.hrtime.bigint();
    store.db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const word = (k: number) => WORDS[(Math.imul(i + 1, 2654435761) >>> (k * 4)) % WORDS.length];
        profile.history.record({
          packageHash: i.toString(16).padStart(64, '0'),
          direction: i % 2 ? 'sent' : 'received',
          counterpart: 'ab'.repeat(32),
          recipients: ['ab'.repeat(32)],
          files: [
            { name: `${word(1)}-${word(2)}-${i}.pdf`, size: 100_000 + i },
            { name: i % 1000 === 0 ? `Quibblesworth_${i}.dcm` : `${word(3)}_${i}.dcm`, size: 5_000_000 },
          ],
          note: `note ${i}`,
          sealedAt: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
          recordedAt: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
        });
      }
    })();
    const insertMs = ms(start);
    store.close(); // keys stay in memory: the same identity unlocks the reopened store
    const dbBytes = (await stat(folder.databasePath)).size;

    const reopened = await ProfileStore.open(folder);
    const again = await reopened.unlock(me);
    start = process.hrtime.bigint();
    const newest = again.history.recent(50);
    const recentMs = ms(start);
    start = process.hrtime.bigint();
    const packages = again.history.list();
    const loadMs = ms(start);
    start = process.hrtime.bigint();
    const index = new PackageIndex(packages);
    const indexMs = ms(start);

    const queries = ['quibbles', 'biopsy', 'ECG', 'no such file name', '4242'];
    const timings = queries.map((query) => {
      const runs = 20;
      let hits = 0;
      const begin = process.hrtime.bigint();
      for (let r = 0; r < runs; r++) hits = index.search(query).length;
      return { query, hits, ms: ms(begin) / runs };
    });
    reopened.close();

    console.log(
      `MedSeal history: ${count.toLocaleString('en')} packages, ${(count * 2).toLocaleString('en')} encrypted file names, database ${(dbBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    console.log(`  recording all of them (one transaction): ${(insertMs / 1000).toFixed(1)} s`);
    console.log(
      `  list the newest 50 (database query + decryption), right after unlock: ${recentMs.toFixed(1)} ms (${newest.length} rows)`,
    );
    console.log(
      `  load + decrypt the whole history for search (once per unlock): ${loadMs.toFixed(0)} ms; build the search index: ${indexMs.toFixed(0)} ms`,
    );
    for (const timing of timings)
      console.log(`  search "${timing.query}": ${timing.ms.toFixed(1)} ms per search, ${timing.hits} packages`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
