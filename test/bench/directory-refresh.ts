/**
 * Benchmark (not a test): what refreshing a partner organisation's directory
 * costs (FORMAT.md §11) for a directory of N clinicians (default 5,000, each
 * with a version 2 card, post-quantum key included), published as one
 * `.medseal-directory` file: its size; fetching it from a folder and from a
 * local HTTPS server (TLS verified against a test CA made with openssl);
 * checking it (parsing, the hash chain, every card's self-signature, the
 * head's signature), with the event loop's longest wait meanwhile (the app
 * checks in steps); and the same again after one more change appended (a
 * refresh against the held head). Prints wall times, best of 3.
 * Usage: npm run bench:directory [-- --clinicians 5000]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSodium, sodium } from '../../main/crypto/sodium.js';
import { appendEntries, encodeDirectory, fingerprintOf, signDirectory } from '../../main/directory/directory-log.js';
import { verifyDirectory, verifyDirectoryYielding } from '../../main/directory/directory-verify.js';
import { fetchDirectoryFile } from '../../main/directory/fetch/directory-fetch.js';
import { makeTestCa } from '../helpers/test-ca.js';
import { argument } from './bench-args.js';
import { benchIdentity } from './bench-identity.js';

const clinicians = Number(argument('--clinicians', '5000'));
const MAX = 64 * 1024 * 1024;

async function best<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let fastest = Infinity;
  let value: T | undefined;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    value = await work();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return { ms: fastest, value: value! };
}

async function main(): Promise<void> {
  await loadSodium();
  const work = await mkdtemp(join(tmpdir(), 'medseal-bench-directory-'));
  const key = sodium().crypto_sign_keypair();
  try {
    const made = performance.now();
    const cards = [];
    for (let i = 0; i < clinicians; i++) cards.push((await benchIdentity(`Clinician ${i}`)).card);
    const entries = appendEntries(
      [],
      cards.map((card) => ({ op: 'add' as const, card })),
      new Date(),
    );
    const sign = (list: typeof entries) =>
      encodeDirectory(
        signDirectory({
          organisation: 'City Clinic',
          publicKey: key.publicKey,
          secretKey: key.privateKey,
          entries: list,
          issuedAt: new Date(),
          validDays: 30,
        }),
      );
    const file = sign(entries);
    const path = join(work, 'directory.medseal-directory');
    await writeFile(path, file);
    console.log(
      `${clinicians} clinicians: ${(file.length / 1024 / 1024).toFixed(2)} MiB (made in ${((performance.now() - made) / 1000).toFixed(1)} s)`,
    );

    const ca = await makeTestCa(work);
    const { cert, key: tlsKey } = await ca.issue(['IP:127.0.0.1']);
    let served = file;
    const server = createServer({ cert, key: tlsKey }, (_request, response) => response.end(served));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    const url = `https://127.0.0.1:${address.port}/directory.medseal-directory`;
    try {
      const folder = await best(3, () => fetchDirectoryFile({ kind: 'folder', path }, { maxBytes: MAX }));
      const https = await best(3, () => fetchDirectoryFile({ kind: 'https', url }, { maxBytes: MAX, caPem: ca.caPem }));
      // The first check decodes every card; a running app or `watch` then checks only new ones. The
      // app checks with turns of the event loop between steps: the longest wait is what IPC feels.
      let longestWait = 0;
      let lastTick = performance.now();
      const ticker = setInterval(() => {
        longestWait = Math.max(longestWait, performance.now() - lastTick);
        lastTick = performance.now();
      }, 1);
      const verified = await best(1, () => verifyDirectoryYielding(https.value, key.publicKey, null));
      clearInterval(ticker);
      console.log(`fetch from a folder      ${folder.ms.toFixed(0).padStart(6)} ms`);
      console.log(`fetch over HTTPS (TLS)   ${https.ms.toFixed(0).padStart(6)} ms`);
      console.log(
        `first check (chain, ${clinicians} card signatures, head)   ${verified.ms.toFixed(0).padStart(6)} ms; the event loop waited at most ${longestWait.toFixed(0)} ms at a time`,
      );

      // A refresh after one revocation: the whole file again, checked against the held head.
      const held = { ...verified.value.head };
      served = sign(appendEntries(entries, [{ op: 'revoke', fingerprint: fingerprintOf(cards[0]!) }], new Date()));
      const refresh = await best(3, async () =>
        verifyDirectory(
          await fetchDirectoryFile({ kind: 'https', url }, { maxBytes: MAX, caPem: ca.caPem }),
          key.publicKey,
          held,
        ),
      );
      console.log(
        `refresh after one change, in a running app (fetch + chain + head + no rollback/fork)   ${refresh.ms.toFixed(0).padStart(6)} ms; ${refresh.value.cards.length} cards vouched for`,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
