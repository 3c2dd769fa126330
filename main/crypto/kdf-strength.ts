/**
 * How strong an Argon2id derivation must be: MedSeal's default, the floor
 * below which a stored parameter is refused, and the ceiling. Plain numbers,
 * no worker and no Node module, so that MedSeal Reader (main/reader/) checks
 * a package's parameters with the same rule as the app.
 */
/** How hard a new derivation is; the salt is chosen fresh each time. */
export interface KdfStrength {
  readonly opsLimit: number;
  readonly memLimitBytes: number;
}

export const KDF_SALT_BYTES = 16;
/** libsodium's MODERATE: the default for new identities. */
export const KDF_DEFAULT = { opsLimit: 3, memLimitBytes: 256 * 1024 * 1024 } as const;
/** libsodium's INTERACTIVE: the lowest accepted (used by fast unit tests). */
export const KDF_FLOOR = { opsLimit: 2, memLimitBytes: 64 * 1024 * 1024 } as const;
export const KDF_CEILING = { opsLimit: 20, memLimitBytes: 2048 * 1024 * 1024 } as const;

export function kdfParamsAcceptable(params: { opsLimit: number; memLimitBytes: number }): boolean {
  return (
    Number.isSafeInteger(params.opsLimit) &&
    Number.isSafeInteger(params.memLimitBytes) &&
    params.opsLimit >= KDF_FLOOR.opsLimit &&
    params.opsLimit <= KDF_CEILING.opsLimit &&
    params.memLimitBytes >= KDF_FLOOR.memLimitBytes &&
    params.memLimitBytes <= KDF_CEILING.memLimitBytes
  );
}
