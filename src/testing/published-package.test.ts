import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What `npm publish` would ship, checked from the outside: `npm pack` of this checkout (scripts skipped, so the
// current dist/ is packed as is and nothing is rebuilt under the other tests' feet).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

function pack(args: string[]): PackResult {
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [result] = JSON.parse(out) as PackResult[];
  if (result == null) throw new Error('npm pack printed no result');
  return result;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

let dir: string;
let listed: PackResult;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'switchboard-pack-'));
  listed = pack(['--dry-run']);
}, 60_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the published package', { timeout: 60_000 }, () => {
  it('ships the recorded fixtures the test kit replays', () => {
    const paths = new Set(listed.files.map((file) => file.path));
    const fixtures = filesUnder(join(ROOT, 'fixtures', 'providers'));
    expect(fixtures.length).toBeGreaterThan(20);
    expect(fixtures.filter((path) => !paths.has(path))).toEqual([]);
    expect(paths.has('dist/testing/index.js')).toBe(true);
    // The bundle's chunks ship; the build manifest (for the start-up tests) does not.
    expect([...paths].some((path) => path.startsWith('dist/chunks/'))).toBe(true);
    expect(paths.has('dist/build-manifest.json')).toBe(false);
    // Only what the kit reads: not the API specs, not the sources or tests.
    expect([...paths].filter((path) => /^(fixtures\/specs|src)\//.test(path))).toEqual([]);
    expect([...paths].filter((path) => /\.test\.(js|d\.ts)$|\/test-support\//.test(path))).toEqual([]);
  });

  it('ships a LICENSE, builds before packing, and no source maps pointing at sources it does not ship', () => {
    const paths = listed.files.map((file) => file.path);
    expect(paths).toContain('LICENSE');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} switchboard-llm contributors\n/,
    );
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      license: string;
      scripts: Record<string, string>;
    };
    expect(manifest.license).toBe('MIT');
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    // The JavaScript and declarations point at no map either (a dangling sourceMappingURL).
    const withMapComment = listed.files
      .filter((file) => /\.(js|d\.ts)$/.test(file.path))
      .filter((file) => readFileSync(join(ROOT, file.path), 'utf8').includes('sourceMappingURL'));
    expect(withMapComment.map((file) => file.path)).toEqual([]);
  });

  it('the README links only to absolute URLs or to headings of the README itself (relative links break on npm)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const anchors = new Set(
      [...readme.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
        (match[1] ?? '')
          .toLowerCase()
          .replace(/[^\p{L}\p{N} -]/gu, '')
          .replace(/ /g, '-'),
      ),
    );
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
    expect(targets.length).toBeGreaterThan(0);
    const broken = targets.filter((target) =>
      target.startsWith('#') ? !anchors.has(target.slice(1)) : !/^https?:\/\//.test(target),
    );
    expect(broken).toEqual([]);
  });

  it('installed elsewhere, replays a fixture by its relative path and refuses a missing one when scripted', () => {
    const tarball = join(dir, pack(['--pack-destination', dir]).filename);
    const app = join(dir, 'app');
    const installed = join(app, 'node_modules', 'switchboard-llm');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
    renameSync(join(dir, 'package'), installed);
    // The package's own dependencies, as npm would have installed them.
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
    writeFileSync(
      join(app, 'check.mjs'),
      `import { startFakeProvider } from 'switchboard-llm/testing';
const fake = await startFakeProvider([{ fixture: 'openai/chat-text.json' }]);
const res = await fetch(fake.openaiBase + '/chat/completions', { method: 'POST', body: '{}' });
const body = await res.json();
let missing;
try {
  fake.enqueue({ fixture: 'openai/not-recorded.json' });
} catch (error) {
  missing = { code: error.code, message: error.message };
}
await fake.close();
console.log(JSON.stringify({ status: res.status, id: body.id, missing }));
`,
    );
    // Run from a directory without fixtures: the path resolves against the installed package, not the cwd.
    const out = execFileSync(process.execPath, ['check.mjs'], { cwd: app, encoding: 'utf8' });
    const result = JSON.parse(out) as {
      status: number;
      id: string;
      missing?: { code: string; message: string };
    };
    const recorded = JSON.parse(
      readFileSync(join(ROOT, 'fixtures', 'providers', 'openai', 'chat-text.json'), 'utf8'),
    ) as { id: string };
    expect(result).toMatchObject({ status: 200, id: recorded.id });
    expect(result.missing?.code).toBe('CONFIGURATION_ERROR');
    expect(result.missing?.message).toContain(
      join(installed, 'fixtures', 'providers', 'openai', 'not-recorded.json'),
    );
  });
});
