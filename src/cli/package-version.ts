import { packageInfo } from '../util/package-info.js';

/** The version in this package's package.json; `0.0.0` when unreadable. */
export function packageVersion(): string {
  return packageInfo().version ?? '0.0.0';
}
