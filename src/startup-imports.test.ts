import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Start-up cost (no timings: what is loaded). The built package (`npm test` builds before running vitest)
// in a child process, with a module hook recording every resolved ESM specifier and the CommonJS cache read
// at the end (jsonrepair and other lazily required packages are CommonJS loads). dist/ is bundled: its
// build-manifest.json says which source modules each loaded file holds.
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const MANIFEST = join(DIST, 'build-manifest.json');
const work = mkdtempSync(join(tmpdir(), 'sb-startup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

writeFileSync(
  join(work, 'hook.mjs'),
  `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}
`,
);

/** Every module a node process loads: ESM URLs as resolved, CommonJS files from the require cache. */
function loadedModules(name: string, args: readonly string[], script?: string): string[] {
  const log = join(work, `${name}.log`);
  const cache = join(work, `${name}.cjs.json`);
  writeFileSync(log, '');
  writeFileSync(
    join(work, `${name}-register.mjs`),
    `import { register, createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(join(work, 'hook.mjs')).href)}, { data: { log: ${JSON.stringify(log)} } });
const require = createRequire(import.meta.url);
process.on('exit', () => writeFileSync(${JSON.stringify(cache)}, JSON.stringify(Object.keys(require.cache))));
`,
  );
  const argv = [...args];
  if (script != null) {
    writeFileSync(join(work, `${name}.mjs`), script);
    argv.unshift(join(work, `${name}.mjs`));
  }
  execFileSync(process.execPath, ['--import', join(work, `${name}-register.mjs`), ...argv], {
    encoding: 'utf8',
  });
  const esm = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const cjs = (JSON.parse(readFileSync(cache, 'utf8')) as string[]).map((path) => pathToFileURL(path).href);
  return [...esm, ...cjs];
}

/** The source modules (`src/x/y.ts`, `zod/...`) in the loaded files of dist/, per the build manifest. */
function sourcesIn(urls: readonly string[]): string[] {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string[]>;
  const distUrl = pathToFileURL(DIST).href;
  return urls
    .filter((url) => url.startsWith(distUrl))
    .flatMap((url) => {
      const sources = manifest[url.slice(distUrl.length)];
      if (sources == null) throw new Error(`${url} is not in dist/build-manifest.json: dist/ is stale`);
      return sources;
    });
}

const packageOf = (url: string) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];

// Needed only by the calls or the features that use them: loaded on first use.
const LAZY_PACKAGES = [
  'undici',
  'yaml',
  'jsonrepair',
  'ioredis',
  'better-sqlite3',
  '@modelcontextprotocol/sdk',
];

describe('start-up: what is loaded', { timeout: 30_000 }, () => {
  it('import + createLLM load none of the packages a call or a feature loads on first use', () => {
    const modules = loadedModules(
      'create',
      [],
      `import { createLLM } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
createLLM({
  providers: [
    { name: 'OpenAI', apiType: 'openai', apiKeys: ['test-key-1', 'test-key-2'], models: ['gpt-4o-mini'] },
    { name: 'Gemini', apiType: 'gemini', apiKeys: ['test-key-3'], models: ['gemini-2.5-flash'] },
  ],
});
`,
    );
    expect(sourcesIn(modules)).toContain('src/client/llm.ts');
    const packages = new Set(modules.map(packageOf));
    expect(LAZY_PACKAGES.filter((name) => packages.has(name))).toEqual([]);
    // Config validation runs on the library's bundled copy of zod: the zod package is not loaded.
    expect(packages.has('zod')).toBe(false);
    // Decompression and the remote-media downloader's DNS checks load with the first answer that needs them.
    expect(modules.filter((url) => ['node:zlib', 'node:dns/promises', 'node:net'].includes(url))).toEqual([]);
  });

  it('`switchboard --version` loads neither the library nor its dependencies', () => {
    const modules = loadedModules('version', [join(DIST, 'cli', 'main.js'), '--version']);
    const sources = sourcesIn(modules);
    expect(sources).toContain('src/cli/main.ts');
    const library = sources.filter(
      (source) => !source.startsWith('src/cli/') && source !== 'src/util/package-info.ts',
    );
    expect(library).toEqual([]);
    expect(modules.map(packageOf).filter((name) => name != null)).toEqual([]);
  });

  it('`switchboard --help` loads commander and the command declarations, not the client, config or zod', () => {
    const modules = loadedModules('help', [join(DIST, 'cli', 'main.js'), '--help']);
    const sources = sourcesIn(modules);
    expect(sources).toContain('src/cli/commands/doctor.ts');
    const heavy = sources.filter((source) =>
      /^(src\/(client|config|providers|session|structured|testing)\/|zod\/)/.test(source),
    );
    expect(heavy).toEqual([]);
    const packages = [...new Set(modules.map(packageOf).filter((name) => name != null))];
    expect(packages).toEqual(['commander']);
  });
});
