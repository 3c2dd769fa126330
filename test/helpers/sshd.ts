/**
 * A real OpenSSH server for the SFTP tests: Debian's sshd on 127.0.0.1 with
 * a fresh host key, one authorised client key and sftp-server, all in a
 * temporary folder; stopped (and restartable, for the resume tests) by the
 * test. Runs as the current user; as root, sshd needs /run/sshd.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

const SSHD = '/usr/sbin/sshd';

export interface SshdServer {
  readonly port: number;
  readonly user: string;
  /** The exchange root on the server (an absolute path). */
  readonly root: string;
  readonly clientKeyFile: string;
  /** OpenSSH's SHA256:… form of the host key. */
  readonly hostKeyFingerprint: string;
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * Kills the stand-alone sftp-server processes (SshdOptions.sftp = 'process') and waits until
   * they are gone; the SSH connections stay up. Returns how many there were.
   */
  killSftpProcesses(): Promise<number>;
  /** Starts it again when a test stopped it (or it died) and did not start it: the next test gets a live server. */
  ensureRunning(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
  /** Replaces the host key (the server "changed" or is an impostor); takes effect at the next start. */
  newHostKey(): Promise<string>;
}

/** Why the SFTP tests cannot run here, or null when they can. */
export function sshdUnavailable(): string | null {
  if (spawnSync(SSHD, ['-V']).error)
    return `${SSHD} is not installed (Debian package openssh-server; .ci/run installs it)`;
  if (spawnSync('ssh-keygen', ['-l', '-f', '/dev/null']).error) return 'ssh-keygen is not installed';
  return null;
}

export interface SshdOptions {
  readonly root?: string;
  /**
   * 'internal' (the default) serves SFTP inside the connection's sshd process; 'process' runs
   * OpenSSH's sftp-server as a process of its own, which a test can kill alone: the SFTP channel
   * then closes while the SSH connection stays up.
   */
  readonly sftp?: 'internal' | 'process';
}

/** OpenSSH's stand-alone SFTP server (Debian's path), for SshdOptions.sftp = 'process'. */
export const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

export async function startSshd(options: SshdOptions = {}): Promise<SshdServer> {
  const folder = await mkdtemp(join(tmpdir(), 'medseal-sshd-')); // lives for a whole describe block, not one test
  const root = options.root ?? join(folder, 'exchange');
  await mkdir(root, { recursive: true });
  const hostKey = join(folder, 'host_ed25519');
  const clientKey = join(folder, 'client_ed25519');
  keygen(hostKey);
  keygen(clientKey);
  await writeFile(join(folder, 'authorized_keys'), await readFile(`${clientKey}.pub`));
  await chmod(join(folder, 'authorized_keys'), 0o600);
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const user = userInfo().username;
  const config = join(folder, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(folder, 'authorized_keys')}`,
      `PidFile ${join(folder, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${user}`,
      'UsePAM no',
      'StrictModes no',
      `Subsystem sftp ${options.sftp === 'process' ? SFTP_SERVER : 'internal-sftp'}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  let child: ChildProcess | undefined;
  let hostKeyFingerprint = fingerprintOf(hostKey);

  const server: SshdServer = {
    port,
    user,
    root,
    clientKeyFile: clientKey,
    get hostKeyFingerprint() {
      return hostKeyFingerprint;
    },
    url: `sftp://${user}@127.0.0.1:${port}${root}`,
    async start() {
      child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await waitForPort(port, () => (child?.exitCode !== null ? `sshd exited: ${stderr}` : null), 'sshd');
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      // As a crash would: connections die too. A connection's process may end between listing and
      // killing it (ESRCH), which is what we want anyway.
      for (const pid of [...descendantsOf(running.pid!), running.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
      }
      await exited;
    },
    async killSftpProcesses() {
      const sftpServers = child?.pid === undefined ? [] : descendantsOf(child.pid).filter(isSftpServer);
      for (const pid of sftpServers) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // gone by itself meanwhile
        }
      }
      while (sftpServers.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 10));
      return sftpServers.length;
    },
    async ensureRunning() {
      if (child === undefined || child.exitCode !== null) await server.start();
    },
    async dispose() {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
    async newHostKey() {
      spawnSync('rm', ['-f', hostKey, `${hostKey}.pub`]);
      keygen(hostKey);
      hostKeyFingerprint = fingerprintOf(hostKey);
      return hostKeyFingerprint;
    },
  };
  await server.start();
  return server;
}

/** The per-connection sshd processes under the listener (they outlive it otherwise). */
function descendantsOf(pid: number): number[] {
  const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => Number(line.trim()))
    .filter((child) => child > 0);
  return children.flatMap((child) => [...descendantsOf(child), child]);
}

function isSftpServer(pid: number): boolean {
  return spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim() === SFTP_SERVER;
}

/** Whether a process still exists (a killed child of sshd is reaped by it at once; never a zombie for long). */
function isAlive(pid: number): boolean {
  return (
    spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .stdout.trim()
      .replace(/^Z.*/, '') !== ''
  );
}

function keygen(path: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path]);
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr.toString()}`);
}

function fingerprintOf(keyFile: string): string {
  const out = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${keyFile}.pub`], { encoding: 'utf8' }).stdout;
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(out);
  if (!match) throw new Error('no host key fingerprint');
  return match[0];
}
