// Installed versions of the benchmarked packages (read from node_modules: not every package exports
// its package.json).
import { readFileSync } from 'node:fs';

export function versionOf(name) {
  const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}
