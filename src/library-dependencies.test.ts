import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The library stays free of the chat-bot framework its plugin lives in (API.md §17): the Koishi plugin
// depends on the library, never the other way round.
const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the library and the Koishi plugin', () => {
  it('the package declares no Koishi package in any dependency group', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    const groups = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
    const names = groups.flatMap((group) => Object.keys((pkg[group] as Record<string, string>) ?? {}));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => /koishi/i.test(name))).toEqual([]);
  });

  it('no file under src imports koishi (the plugin imports the library, not the reverse)', () => {
    const files = sourceFiles(join(root, 'src'));
    expect(files.length).toBeGreaterThan(100);
    const importing = files
      .filter((file) =>
        /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:@koishijs\/[^'"]+|koishi(?:-[^'"]*)?)['"]/.test(
          readFileSync(file, 'utf8'),
        ),
      )
      .map((file) => relative(root, file));
    expect(importing).toEqual([]);
  });
});
