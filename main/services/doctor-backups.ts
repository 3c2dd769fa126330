/**
 * `medseal doctor`'s line for the policy's automatic backups: how old the
 * newest is (FAIL after two missed intervals). None yet is only a warning
 * while the identity is younger than one interval: a workstation set up
 * today is not broken, its first backup is written at the next unlock (the
 * app, or any CLI command or `medseal watch` that unlocks).
 */
import type { ContactCard } from '../identity/contact-card.js';
import { fingerprintHex } from '../identity/fingerprint.js';
import { backupFolderFor, listBackups, namedLikeBackups } from './automatic-backups.js';
import { check, reasonOf, warn, type HealthCheck } from './health-check.js';

const NAME = 'automatic backups';

export async function backupCheck(
  backupFolder: string,
  intervalHours: number,
  card: ContactCard | null,
  now: Date,
): Promise<HealthCheck> {
  if (!card) return check(NAME, false, 'no readable identity to back up');
  const folder = backupFolderFor(backupFolder, card.fingerprint);
  const files = await listBackups(folder, fingerprintHex(card.fingerprint), now).catch(reasonOf);
  if (typeof files === 'string')
    return check(NAME, false, `${folder} cannot be read (${files}): check the share is mounted`);
  const newest = files[0] ?? null;
  const ignored = (await namedLikeBackups(folder)) - files.length;
  const warning =
    ignored > 0
      ? `; ${ignored} other file(s) named like backups were ignored (another identity's, damaged, or dated in the future: check the folder)`
      : '';
  if (newest === null) {
    const ageHours = (now.getTime() - Date.parse(card.createdAt)) / 3600_000;
    const detail = `none yet in ${folder}: the app, and any medseal command that unlocks, writes one (or run: medseal identity backup -o FILE)${warning}`;
    return ageHours < intervalHours && ignored === 0
      ? warn(
          NAME,
          `${detail}; the identity is ${formatAge(ageHours)} old, the first is due within ${intervalHours} hours`,
        )
      : check(NAME, false, detail);
  }
  const hours = Math.max(0, (now.getTime() - newest.madeAt.getTime()) / 3600_000);
  const fresh = hours <= 2 * intervalHours;
  const late = fresh ? '' : `: more than twice the ${intervalHours}-hour interval; unlock the app or check the share`;
  return check(
    NAME,
    fresh && ignored === 0,
    `newest made ${formatAge(hours)} ago (${newest.madeAt.toISOString()})${late}${warning}`,
  );
}

function formatAge(hours: number): string {
  const positive = Math.max(0, hours);
  return positive < 48 ? `${positive.toFixed(1)} hours` : `${(positive / 24).toFixed(1)} days`;
}
