import { InvalidArgumentError } from 'commander';

/** Commander parser for a whole number ≥ 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('must be a whole number ≥ 1');
  }
  return n;
}

/** Commander parser for a number of seconds > 0 (fractions allowed), returned in milliseconds. */
export function secondsToMs(value: string): number {
  const n = Number(value.trim().replace(/s$/, ''));
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number of seconds > 0');
  return Math.round(n * 1000);
}
