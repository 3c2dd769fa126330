/**
 * Searching the history in memory: each package's decrypted file names and
 * subject, and the people of the package as the contacts name them, folded
 * (case and accents ignored) once, then matched by substring. Fast enough
 * for 100,000 packages (npm run bench:history).
 */
import type { PackageSummary } from './package-history.js';

/**
 * Case- and accent-insensitive search, in memory, over decrypted file names and subjects and the people of
 * each package (sender and every recipient), as `personText` describes a fingerprint (name,
 * organisation, e-mail from the contacts; the store itself holds only fingerprints).
 */
export class PackageIndex {
  private readonly keys: string[];

  constructor(
    readonly packages: readonly PackageSummary[],
    personText: (fingerprint: string) => string = () => '',
  ) {
    this.keys = packages.map((summary) =>
      [
        ...summary.files.map((file) => file.name),
        summary.subject ?? '',
        ...[summary.counterpart, ...summary.recipients].map(personText),
      ]
        .map((text) => PackageIndex.fold(text))
        .join('\n'),
    );
  }

  static fold(text: string): string {
    return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  }

  search(query: string, limit = Number.POSITIVE_INFINITY): PackageSummary[] {
    const needle = PackageIndex.fold(query.trim());
    const found: PackageSummary[] = [];
    for (let index = 0; index < this.packages.length && found.length < limit; index++) {
      if (this.keys[index]!.includes(needle)) found.push(this.packages[index]!);
    }
    return found;
  }
}
