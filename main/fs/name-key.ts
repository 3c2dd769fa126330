/**
 * When two file names are one name on disk. Case-insensitive file systems (NTFS, APFS) see
 * "Lab.pdf" and "lab.pdf" as the same file; a package's names (package/file-names.ts) and the
 * numbered names of "keep both" (keep-both.ts) are compared this way.
 */

/**
 * Key under which two names collide on a case-insensitive file system (NTFS, APFS): upper- then
 * lower-casing folds letters with several lower-case forms ("σ" and "ς" are one name there).
 * It may fold more than a file system does; that only refuses a package, never merges two files.
 */
export function fileNameCollisionKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase();
}
