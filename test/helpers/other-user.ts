/**
 * A second, real Linux account for attacks that need one (another user of
 * a shared folder). Made by the test when it runs as root (as CI does) and
 * removed afterwards; elsewhere `otherUser()` says why the tests are skipped.
 */
import { spawnSync } from 'node:child_process';

// Named per test process: two test runs on one machine (or two files at once) never share, or
// remove, each other's account.
const USER = `medseal-o${process.pid}`;
const GROUP = `medseal-t${process.pid}`;

export interface OtherUser {
  readonly uid: number;
  readonly gid: number;
  /** Runs a shell command as that user (member of the shared group). */
  run(command: string): void;
  /** Removes the account and group again. */
  remove(): void;
}

function sh(command: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout}${result.stderr}`.trim() };
}

/** Why a second account cannot be had here, or null when it can. */
export function otherUserUnavailable(): string | null {
  if (process.platform !== 'linux') return 'multi-user tests need Linux accounts';
  if (process.getuid?.() !== 0) return 'multi-user tests need root to create a second Linux account (CI runs as root)';
  for (const tool of ['useradd', 'groupadd', 'setpriv'])
    if (!sh('sh', ['-c', `command -v ${tool}`]).ok) return `multi-user tests need ${tool}`;
  return null;
}

export function createOtherUser(): OtherUser {
  if (!sh('getent', ['group', GROUP]).ok) sh('groupadd', [GROUP]);
  if (!sh('id', ['-u', USER]).ok) {
    const made = sh('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', '--gid', GROUP, USER]);
    if (!made.ok) throw new Error(`useradd failed: ${made.out}`);
  }
  const uid = Number(sh('id', ['-u', USER]).out);
  const gid = Number(sh('getent', ['group', GROUP]).out.split(':')[2]);
  return {
    uid,
    gid,
    run(command) {
      const result = sh('setpriv', [
        '--reuid',
        String(uid),
        '--regid',
        String(gid),
        '--init-groups',
        '--',
        'sh',
        '-c',
        command,
      ]);
      if (!result.ok) throw new Error(`as ${USER}: ${command}: ${result.out}`);
    },
    remove() {
      sh('userdel', [USER]);
      sh('groupdel', [GROUP]);
    },
  };
}
