import { createRequire } from 'node:module';
import type * as JsonRepairModule from 'jsonrepair';

let repair: typeof JsonRepairModule.jsonrepair | undefined;

/**
 * `jsonrepair(text)` of the `jsonrepair` package, loaded on first use: most processes never repair JSON,
 * so start-up does not load it. Synchronous (its callers are), hence `require` (the package's CommonJS
 * build; it holds no state, so a second copy beside an ESM one is harmless). Throws what jsonrepair throws.
 */
export function jsonrepair(text: string): string {
  repair ??= (createRequire(import.meta.url)('jsonrepair') as typeof JsonRepairModule).jsonrepair;
  return repair(text);
}
