/**
 * A certificate authority made for one test run with the openssl command, and server
 * certificates it signs for the names a test asks for (IP 127.0.0.1, or a host name the server
 * is not reached by, to attack the name check). P-256: quick to make. The system's authorities
 * do not know it, so a client that does not name it must refuse its certificates.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TestCa {
  /** The CA's certificate, PEM. */
  readonly caPem: string;
  /** A server certificate and key (PEM) for `names`, e.g. ['IP:127.0.0.1'] or ['DNS:other.example']. */
  issue(names: readonly string[]): Promise<{ cert: string; key: string }>;
}

/** Why these certificates cannot be made here, or null when they can. */
export function testCaUnavailable(): string | null {
  return spawnSync('openssl', ['version']).error ? 'the openssl command is missing' : null;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

export async function makeTestCa(folder: string, name = 'MedSeal test CA'): Promise<TestCa> {
  openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`], folder);
  let issued = 0;
  return {
    caPem: await readFile(join(folder, 'ca.pem'), 'utf8'),
    async issue(names) {
      const base = `server-${++issued}`;
      openssl(
        ['req', ...EC, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', '/CN=MedSeal test server'],
        folder,
      );
      await writeFile(join(folder, `${base}.ext`), `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
      openssl(
        ['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out'].concat([
          `${base}.pem`,
          '-days',
          '2',
          '-extfile',
          `${base}.ext`,
        ]),
        folder,
      );
      return {
        cert: await readFile(join(folder, `${base}.pem`), 'utf8'),
        key: await readFile(join(folder, `${base}.key`), 'utf8'),
      };
    },
  };
}
