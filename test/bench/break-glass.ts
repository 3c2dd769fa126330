/**
 * Benchmark (not a test): organisation emergency access at full strength.
 * Splits a recovery key 3 of 5 (five custodians' Argon2id passphrases),
 * seals a package under it, opens it with three shares (recording first),
 * and prints the times and what the recovery key adds to each package.
 * Usage: node dist/bench/break-glass.mjs [--shares 5] [--threshold 3] [--mib 10] [--folder DIR]
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium } from '../../main/crypto/sodium.js';
import { splitNewRecoveryKey } from '../../main/org-recovery/custodian-shares.js';
import { startEmergencyLog } from '../../main/org-recovery/emergency-log.js';
import { readShareFile } from '../../main/org-recovery/share-file.js';
import { sealPackage } from '../../main/package/seal.js';
import { emergencyOpenPackage } from '../../main/services/emergency-access.js';
import { fastIdentity } from '../helpers/identities.js';
import { argument } from './bench-args.js';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const passphrase = (share: number) => `custodian ${share} keeps a long passphrase in the safe`;

async function main(): Promise<void> {
  await loadSodium();
  const shares = Number(argument('--shares', '5'));
  const threshold = Number(argument('--threshold', '3'));
  const bytes = Number(argument('--mib', '10')) * 2 ** 20;
  const root = await mkdtemp(
    join(argument('--folder', existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'medseal-bench-break-glass-'),
  );
  try {
    let start = process.hrtime.bigint();
    const split = await splitNewRecoveryKey({
      organisation: 'Bench Hospital',
      email: 'privacy@bench.example',
      shares,
      threshold,
      custodians: [],
      operator: 'bench',
      passphraseFor: async (share) => passphrase(share.share),
    });
    const splitTime = seconds(start);
    await mkdir(join(root, 'log'), { mode: 0o750 });
    await startEmergencyLog(join(root, 'log'), split.card, split.firstRecord);

    const [alice, bob] = [await fastIdentity('Alice Bench'), await fastIdentity('Bob Bench')];
    await writeFile(join(root, 'scan.bin'), Buffer.alloc(bytes, 7));
    const seal = async (name: string, recoveryKey: typeof split.card | null) =>
      sealPackage({
        sender: alice,
        recipients: [bob.card],
        recoveryKey,
        files: [{ path: join(root, 'scan.bin') }],
        output: join(root, name),
      });
    start = process.hrtime.bigint();
    await seal('with-key.medseal', split.card);
    const sealTime = seconds(start);
    await seal('without-key.medseal', null);
    const added =
      (await stat(join(root, 'with-key.medseal'))).size - (await stat(join(root, 'without-key.medseal'))).size;

    const files = split.files.slice(0, threshold).map((file, index) => readShareFile(file.text, index + 1));
    await mkdir(join(root, 'out'));
    start = process.hrtime.bigint();
    await emergencyOpenPackage(
      {
        shares: files,
        passphraseFor: async (file) => passphrase(file.share),
        reason: 'benchmark',
        operator: 'bench',
        logFolder: join(root, 'log'),
      },
      join(root, 'with-key.medseal'),
      join(root, 'out'),
    );
    const openTime = seconds(start);

    console.log(`split ${threshold} of ${shares} (one Argon2id per share):      ${splitTime.toFixed(2)} s`);
    console.log(`seal ${bytes / 2 ** 20} MiB under the recovery key:         ${sealTime.toFixed(2)} s`);
    console.log(`bytes the recovery key adds to a package:      ${added} (stanza 1,168 + card in the metadata)`);
    console.log(`open with ${threshold} shares (Argon2id each, record first): ${openTime.toFixed(2)} s`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
