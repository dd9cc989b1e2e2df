import { readFileSync } from 'node:fs';

/** The version in package.json (two levels up from dist/cli/ and from src/cli/); `0.0.0` when unreadable. */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
