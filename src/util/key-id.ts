import { createHash } from 'node:crypto';

/** SHA-256 of a key, hex. Stores and logs refer to keys by this (or by `keyIdOf`), never by the key. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Public id of a key: `sk-a…wxyz` (first 4, last 4) for keys of 16+ characters, else `key#` and the
 * first 6 hex digits of its SHA-256 (short keys would be revealed by first/last 4).
 */
export function keyIdOf(key: string): string {
  if (key.length >= 16) return `${key.slice(0, 4)}…${key.slice(-4)}`;
  return `key#${hashKey(key).slice(0, 6)}`;
}
