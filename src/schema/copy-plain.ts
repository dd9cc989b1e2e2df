/** True for `{}` literals, `JSON.parse` objects and `Object.create(null)` objects (not arrays, dates, class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of JSON-like data: arrays and plain objects are copied recursively, everything else
 * (primitives, functions, class instances such as `Date` or `Uint8Array`) is kept as is.
 * Cheaper than `structuredClone` for the small objects configs and schemas are, and never throws.
 */
export function copyPlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, key, copyPlain(value[key]));
  return out as T;
}

/** `target[key] = value`, also for a `__proto__` key (which plain assignment would turn into a prototype change). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
