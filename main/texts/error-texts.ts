/**
 * User texts of errors raised in more than one layer (the services and the
 * IPC dispatcher), so that the same condition reads the same everywhere.
 * Plain data, no imports.
 */
export const LOCKED_TEXT = 'MedSeal is locked. Unlock it to continue.';
export const INTERNAL_TEXT = 'MedSeal ran into an internal problem. Nothing was changed.';
