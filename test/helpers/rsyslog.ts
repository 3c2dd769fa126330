/**
 * A real syslog receiver for the SIEM tests: Debian's rsyslogd on 127.0.0.1,
 * plain TCP or TLS (the ossl driver, a test CA and a server certificate for
 * 127.0.0.1 made with the openssl command), writing every message it takes
 * in raw to a file; stopped and started again by the test, on the same port
 * and file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

const RSYSLOGD = '/usr/sbin/rsyslogd';

export interface RsyslogServer {
  readonly port: number;
  /** The test CA's certificate (PEM file), for TLS. */
  readonly caFile: string | null;
  /** The messages received so far, one per line. */
  received(): Promise<string[]>;
  /** Waits until at least `count` messages arrived (10 s at most). */
  waitFor(count: number): Promise<string[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Why the SIEM tests cannot run here, or null when they can. */
export function rsyslogUnavailable(tls: boolean): string | null {
  if (!existsSync(RSYSLOGD)) return `${RSYSLOGD} is not installed (Debian package rsyslog; .ci/run installs it)`;
  if (
    tls &&
    !['/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_ossl.so', '/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_ossl.so'].some(
      existsSync,
    )
  )
    return 'rsyslog has no TLS driver (Debian package rsyslog-openssl)';
  if (tls && spawnSync('openssl', ['version']).error) return 'the openssl command is missing';
  return null;
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** A CA and a server certificate for IP 127.0.0.1 signed by it. */
async function testCertificates(folder: string): Promise<{ ca: string; cert: string; key: string }> {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=MedSeal test SIEM CA',
    ],
    folder,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'],
    folder,
  );
  await writeFile(join(folder, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ],
    folder,
  );
  return { ca: join(folder, 'ca.pem'), cert: join(folder, 'server.pem'), key: join(folder, 'server.key') };
}

export async function startRsyslog(options: { tls?: boolean } = {}): Promise<RsyslogServer> {
  const folder = await mkdtemp(join(tmpdir(), 'medseal-rsyslog-')); // lives for a whole describe block
  await mkdir(join(folder, 'work'));
  const port = await freePort();
  const out = join(folder, 'received.log');
  const certificates = options.tls ? await testCertificates(folder) : null;
  const config = join(folder, 'rsyslog.conf');
  await writeFile(
    config,
    [
      `global(workDirectory="${join(folder, 'work')}"${certificates ? ` DefaultNetstreamDriver="ossl" DefaultNetstreamDriverCAFile="${certificates.ca}" DefaultNetstreamDriverCertFile="${certificates.cert}" DefaultNetstreamDriverKeyFile="${certificates.key}"` : ''})`,
      certificates
        ? 'module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")'
        : 'module(load="imtcp")',
      `input(type="imtcp" port="${port}" address="127.0.0.1")`,
      'template(name="raw" type="string" string="%rawmsg%\\n")',
      `*.* action(type="omfile" file="${out}" template="raw")`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const received = async () =>
    ((await readFile(out, 'utf8').catch(() => '')) || '').split('\n').filter((line) => line !== '');
  const server: RsyslogServer = {
    port,
    caFile: certificates?.ca ?? null,
    received,
    async waitFor(count) {
      for (let attempt = 0; attempt < 200; attempt++) {
        const lines = await received();
        if (lines.length >= count) return lines;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received();
    },
    async start() {
      child = spawn(RSYSLOGD, ['-n', '-f', config, '-i', join(folder, 'rsyslogd.pid')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await waitForPort(port, () => (child?.exitCode !== null ? `rsyslogd exited: ${stderr}` : null), 'rsyslogd');
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM'); // rsyslogd writes out what it took in, then exits
      await exited;
    },
    async dispose() {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
