import { redactSecrets } from '../logging/secrets.js';

/**
 * The message of anything thrown, for a store's log line: redacted (keys, URL passwords), and only the
 * message — never the error object, whose properties may hold what a client was sending (ioredis keeps
 * `AUTH <password>` in `command.args`).
 */
export function errorText(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}
