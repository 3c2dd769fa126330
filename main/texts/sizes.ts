/**
 * Sizes in words, the same in the CLI and the app: "850 bytes", "4.2 KB",
 * "12 MB", in units of 1024 as Windows Explorer shows them, so that what a
 * clinician reads in MedSeal matches what they see in their file manager.
 */
const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}
