/**
 * The single place libsodium is loaded.
 *
 * libsodium-wrappers-sumo runs as WebAssembly and must finish initialising
 * before use; the sumo build is required because only it has crypto_pwhash
 * (Argon2id). Call `loadSodium()` once at start-up, then `sodium()`.
 */
import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready = false;

export async function loadSodium(): Promise<Sodium> {
  await sodiumModule.ready;
  ready = true;
  return sodiumModule;
}

export function sodium(): Sodium {
  if (!ready) throw new Error('libsodium used before loadSodium() finished');
  return sodiumModule;
}
