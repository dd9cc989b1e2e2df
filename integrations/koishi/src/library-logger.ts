import { inspect } from 'node:util';
import type { Logger as KoishiLogger } from 'koishi';
import type { LogFn, Logger } from './library-types';

type Level = 'debug' | 'info' | 'warn' | 'error';

// Koishi's (reggol) levels: 1 error, 2 info/warn, 3 debug.
const THRESHOLD: Record<Level, number> = { error: 1, warn: 2, info: 2, debug: 3 };

function levelOf(name: string): Level | undefined {
  return name === 'debug' || name === 'info' || name === 'warn' || name === 'error' ? name : undefined;
}

function show(value: unknown): string {
  return typeof value === 'string'
    ? value
    : inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY });
}

/**
 * The library's pino-style logger (`(obj, msg?)`) on top of a Koishi logger. The library sanitizes every
 * line before it reaches this (keys masked, payloads shortened). Its `info` lines (one per call) go to
 * Koishi's debug level, where Koishi logs each message too; warnings and errors stay what they are.
 */
export function libraryLogger(logger: KoishiLogger): Logger {
  const method =
    (level: Level): LogFn =>
    (objOrMessage, message) => {
      if (message === undefined) logger[level]('%s', show(objOrMessage));
      else logger[level]('%s %s', message, show(objOrMessage));
    };
  return {
    debug: method('debug'),
    info: method('debug'),
    warn: method('warn'),
    error: method('error'),
    isLevelEnabled: (name) => {
      const level = levelOf(name);
      if (level === undefined) return true;
      return logger.level >= THRESHOLD[level === 'info' ? 'debug' : level];
    },
  };
}
