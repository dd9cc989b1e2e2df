/**
 * Lookups and writes for objects keyed by text from a config file. A key such as `constructor`,
 * `toString` or `__proto__` is plain data: it never reaches `Object.prototype` on read, and never
 * replaces an object's prototype on write.
 */

/** `table[key]` when `key` is the table's own property, else `undefined`. */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Sets `target[key]` as an own, enumerable property (`__proto__` included). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
