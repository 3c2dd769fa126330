/**
 * The single place libsodium is loaded.
 *
 * libsodium-wrappers-sumo runs as WebAssembly and must finish initialising
 * before use; the sumo build is required because only it has crypto_pwhash
 * (Argon2id). Call `loadSodium()` once at start-up, then `sodium()`.
 *
 * The wrappers copy every argument (keys included) into the WebAssembly
 * heap and free it after the call without clearing it, so secret keys
 * would stay readable in that heap long after MedSeal locked. Loading
 * therefore makes the heap zero every block the wrappers free
 * (zeroOnFree), so no key, plaintext or derived secret outlives its call.
 */
import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

/** The emscripten module inside the wrappers: its allocator and heap. */
interface WasmHeap {
  _malloc(size: number): number;
  _free(address: number): void;
  readonly HEAPU8: Uint8Array;
}

let ready = false;

export async function loadSodium(): Promise<Sodium> {
  await sodiumModule.ready;
  if (!ready) zeroOnFree((sodiumModule as unknown as { libsodium: WasmHeap }).libsodium);
  ready = true;
  return sodiumModule;
}

export function sodium(): Sodium {
  if (!ready) throw new Error('libsodium used before loadSodium() finished');
  return sodiumModule;
}

/** Makes `_free` clear each block first (sizes remembered from `_malloc`; HEAPU8 read anew as the heap may grow). */
function zeroOnFree(heap: WasmHeap): void {
  const sizes = new Map<number, number>();
  const malloc = heap._malloc.bind(heap);
  const free = heap._free.bind(heap);
  heap._malloc = (size) => {
    const address = malloc(size);
    sizes.set(address, size);
    return address;
  };
  heap._free = (address) => {
    const size = sizes.get(address);
    if (size !== undefined) {
      heap.HEAPU8.fill(0, address, address + size);
      sizes.delete(address);
    }
    free(address);
  };
}

/**
 * Grows the WebAssembly heap to hold `bytes` more and touches every page of it, then frees it: the
 * heap never shrinks, so a following allocation of that size (Argon2id's memory) reuses pages the
 * system has already handed over, instead of faulting them in one by one during the derivation.
 */
export function growHeap(bytes: number): void {
  const heap = (sodium() as unknown as { libsodium: WasmHeap }).libsodium;
  const address = heap._malloc(bytes);
  if (address === 0) return; // no room to grow now: the derivation will say so itself (KdfFailed)
  heap._free(address); // zeroOnFree's wipe writes every page of the block: that is the touching
}

/** The WebAssembly heap, for the test that searches it for keys after use. */
export function wasmHeapForTests(): Uint8Array {
  return (sodiumModule as unknown as { libsodium: WasmHeap }).libsodium.HEAPU8;
}
