import type * as UndiciModule from 'undici';

/** The `undici` module. */
export type Undici = typeof UndiciModule;

let loaded: Undici | undefined;

/**
 * undici, imported on the first request of the process instead of at start-up (about 110 modules: the
 * largest part of `import` + `createLLM`). The request path reads `undiciLoaded()` first, so only the
 * first request of a process awaits the import.
 */
export async function loadUndici(): Promise<Undici> {
  loaded ??= await import('undici');
  return loaded;
}

/** undici once `loadUndici` has resolved, else `undefined`. */
export function undiciLoaded(): Undici | undefined {
  return loaded;
}
