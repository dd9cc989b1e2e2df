import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's root directory (where its package.json is) and version. */
export interface PackageInfo {
  /** Absolute path; two levels above this file when no package.json named switchboard-llm is found. */
  root: string;
  /** `version` of that package.json; `undefined` when none was found (the code was copied elsewhere). */
  version: string | undefined;
}

let found: PackageInfo | undefined;

/**
 * Finds the package.json named `switchboard-llm` in this file's directory or the two above it, once. The
 * depth differs between the sources (`src/util/`), the published entry points (`dist/`, `dist/cli/`) and
 * their shared chunks (`dist/chunks/`), so the code looks instead of assuming one layout.
 */
export function packageInfo(): PackageInfo {
  found ??= findPackage(dirname(fileURLToPath(import.meta.url)));
  return found;
}

function findPackage(start: string): PackageInfo {
  let dir = start;
  for (let level = 0; level < 3; level++) {
    const version = versionAt(dir);
    if (version !== null) return { root: dir, version };
    dir = dirname(dir);
  }
  return { root: dirname(dirname(start)), version: undefined };
}

/** The version of the switchboard-llm package.json in `dir`; `null` when there is none (or another's). */
function versionAt(dir: string): string | undefined | null {
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
  const { name, version } = (pkg ?? {}) as { name?: unknown; version?: unknown };
  if (name !== 'switchboard-llm') return null;
  return typeof version === 'string' ? version : undefined;
}
