import { createHash } from 'node:crypto';

/** SHA-256 of a key, hex. Stores and logs refer to keys by this (or by `keyIdOf`), never by the key. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const HASH_DIGITS = 6;

/**
 * Public id of a key on its own: `sk-a…wxyz` (first 4, last 4) for keys of 16+ characters, else `key#`
 * and the first 6 hex digits of its SHA-256 (short keys would be revealed by first/last 4). Within a
 * provider use `keyIdsOf`, which keeps ids unique.
 */
export function keyIdOf(key: string): string {
  if (key.length >= 16) return `${key.slice(0, 4)}…${key.slice(-4)}`;
  return `key#${hashKey(key).slice(0, HASH_DIGITS)}`;
}

function commonPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length++;
  return length;
}

/**
 * The ids of one provider's keys (same order; a repeated key gets the same id), unique among them
 * (API.md §6): keys that would share a masked id (`AIza…wxyz`) both use the `key#` form, and `key#`
 * forms sharing their first 6 hex digits get as many more as it takes to tell them apart.
 */
export function keyIdsOf(keys: readonly string[]): string[] {
  const distinct = [...new Set(keys)];
  const owners = new Map<string, number>();
  for (const key of distinct) {
    const id = keyIdOf(key);
    owners.set(id, (owners.get(id) ?? 0) + 1);
  }
  const ids = new Map<string, string>();
  const hashed: [key: string, hash: string][] = [];
  for (const key of distinct) {
    const id = keyIdOf(key);
    if (id.startsWith('key#') || owners.get(id)! > 1) hashed.push([key, hashKey(key)]);
    else ids.set(key, id);
  }
  for (const [key, hash] of hashed) {
    let digits = HASH_DIGITS;
    for (const [other, otherHash] of hashed) {
      if (other !== key) digits = Math.max(digits, commonPrefixLength(hash, otherHash) + 1);
    }
    ids.set(key, `key#${hash.slice(0, digits)}`);
  }
  return keys.map((key) => ids.get(key)!);
}
