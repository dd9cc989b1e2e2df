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

/** Commander parser for a UTC day `YYYY-MM-DD` that exists on the calendar. */
export function utcDay(value: string): string {
  const day = value.trim();
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : undefined;
  if (parsed == null || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw new InvalidArgumentError('must be a day as YYYY-MM-DD (UTC), e.g. 2025-06-01');
  }
  return day;
}
