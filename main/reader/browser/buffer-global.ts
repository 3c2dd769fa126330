/**
 * Node's Buffer for MedSeal Reader's page: the package-reading core uses
 * Buffer throughout, and the `buffer` package (the one browser bundlers
 * have long used) provides the same class. The build injects this module
 * wherever the bundled code names `Buffer` (build/scripts/build-reader.mjs).
 */
export { Buffer } from 'buffer';
