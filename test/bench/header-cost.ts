/**
 * Benchmark (not a test): what post-quantum recipient stanzas cost. For 1, 10
 * and 100 recipients, format version 1 (X25519) against version 2 (X-Wing):
 * the header's size, the time to build it (one encapsulation per recipient)
 * and the time for the last-listed recipient to open it (the worst case: it
 * tries every stanza, one decapsulation each). Medians of --runs.
 * Usage: node dist/bench/header-cost.mjs [--recipients 1,10,100] [--runs 5]
 */
import { randomBytes } from '../../main/crypto/primitives.js';
import { buildHeader, openHeader, readPublicHeader } from '../../main/package/header.js';
import type { UnlockedIdentity } from '../../main/identity/unlocked-identity.js';
import { fingerprintHex } from '../../main/identity/fingerprint.js';
import { benchIdentity } from './bench-identity.js';
import { argument } from './bench-args.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function measure(sender: UnlockedIdentity, readers: UnlockedIdentity[], runs: number) {
  const metadata = {
    sender: sender.card,
    recipients: readers.map((reader) => fingerprintHex(reader.card.fingerprint)),
    createdAt: new Date().toISOString(),
    files: [{ name: 'referral.pdf', size: 1 }],
    note: '',
    recovery: null,
    passphraseRecipient: null,
    passphraseBinding: null,
    directoryHead: null,
    replyTo: null,
    subject: null,
  };
  const build: number[] = [];
  const open: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    let start = performance.now();
    const header = buildHeader({
      sender,
      recipients: readers.map((reader) => reader.card),
      metadata,
      chunkSizeLog2: 20,
      random: randomBytes,
    });
    build.push(performance.now() - start);
    bytes = header.bytes.length;
    const read = async (position: number, length: number) => header.bytes.subarray(position, position + length);
    start = performance.now();
    openHeader(await (await readPublicHeader(read)).readRest(), readers.at(-1)!);
    open.push(performance.now() - start);
  }
  return { bytes, buildMs: median(build), openMs: median(open) };
}

async function main(): Promise<void> {
  const counts = argument('--recipients', '1,10,100').split(',').map(Number);
  const runs = Number(argument('--runs', '5'));
  console.log(
    `Header cost, format version 1 (X25519) against 2 (X-Wing), median of ${runs} runs, node ${process.version}`,
  );
  console.log('');
  console.log(
    '| recipients | v1 header bytes | v2 header bytes | v1 build ms | v2 build ms | v1 open ms (last recipient) | v2 open ms (last recipient) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const count of counts) {
    const figures = [];
    for (const postQuantum of [false, true]) {
      // One after the other: measured regions must not interleave with the other version's work.
      const sender = await benchIdentity('Sender', { postQuantum });
      const readers = await Promise.all(
        Array.from({ length: count }, (_, index) => benchIdentity(`Reader ${index}`, { postQuantum })),
      );
      figures.push(await measure(sender, readers, runs));
    }
    const [v1, v2] = figures as [Awaited<ReturnType<typeof measure>>, Awaited<ReturnType<typeof measure>>];
    const ms = (value: number) => value.toFixed(1);
    console.log(
      `| ${count} | ${v1.bytes} | ${v2.bytes} | ${ms(v1.buildMs)} | ${ms(v2.buildMs)} | ${ms(v1.openMs)} | ${ms(v2.openMs)} |`,
    );
  }
}

void main();
