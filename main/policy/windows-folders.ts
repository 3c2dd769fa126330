/**
 * Where Windows keeps machine-wide data (normally C:\ProgramData), read
 * from the machine's registry (the value the known-folder API resolves
 * FOLDERID_ProgramData from), never from %ProgramData%: an environment
 * variable is the user's to set, and the policy must not follow it.
 */
import { spawnSync } from 'node:child_process';

const SHELL_FOLDERS = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders';

/** Reads one REG_SZ value of HKLM; null when it cannot. */
export type RegistryReader = (key: string, value: string) => string | null;

/**
 * With reg.exe at its fixed place (not found through PATH or %SystemRoot%, which the user could
 * also point elsewhere). Where Windows lives on another drive this fails, and the fixed default
 * applies; a native registry reader comes with the Group Policy work.
 */
export const readMachineRegistry: RegistryReader = (key, value) => {
  const result = spawnSync('C:\\Windows\\System32\\reg.exe', ['query', key, '/v', value], {
    encoding: 'utf8',
    windowsHide: true,
    timeout: 5_000,
  });
  if (result.status !== 0) return null;
  const line = result.stdout.split(/\r?\n/).find((entry) => entry.trim().startsWith(value));
  const match = line?.match(/REG_(?:EXPAND_)?SZ\s+(.+)$/);
  return match?.[1]?.trim() ?? null;
};

/** The machine's ProgramData folder; C:\ProgramData when the registry cannot be read. */
export function machineProgramData(read: RegistryReader = readMachineRegistry): string {
  const found = read(SHELL_FOLDERS, 'Common AppData');
  return found && /^[A-Za-z]:\\[^%]+$/.test(found) ? found : 'C:\\ProgramData';
}
