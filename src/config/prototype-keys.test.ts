// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests write literal ${ENV} references
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { LLMError } from '../errors/llm-error.js';
import { loadConfig } from './load-config.js';
import { resolveConfig } from './resolve-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-proto-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

/** The CONFIGURATION_ERROR `loadConfig` rejects with (anything else, a TypeError included, fails the test). */
async function loadError(file: string): Promise<LLMError> {
  const error = await loadConfig(file, { env: {} }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(LLMError.isInstance(error), String(error)).toBe(true);
  expect((error as LLMError).code).toBe('CONFIGURATION_ERROR');
  return error as LLMError;
}

const issuesOf = (error: LLMError) => error.details?.issues as { path: string; message: string }[];

/** Every name `Object.prototype` answers to, plus `prototype`. */
const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

const provider = () => ({
  name: 'OpenAI',
  apiType: 'openai',
  apiKeys: ['test-key-1'],
  models: ['gpt-4o-mini', { name: 'm2', capabilities: { toolCalling: true } }],
});

/** Adds `key: 1` (as own data) at one nesting level of a valid config; returns the path the issue must name. */
const LEVELS: [string, (key: string) => { doc: Record<string, unknown>; path: string }][] = [
  ['root', (key) => ({ doc: withKey({ providers: [provider()] }, key), path: key })],
  ['provider', (key) => ({ doc: { providers: [withKey(provider(), key)] }, path: `providers[0].${key}` })],
  [
    'model',
    (key) => {
      const p = provider();
      p.models[1] = withKey({ name: 'm2' }, key) as never;
      return { doc: { providers: [p] }, path: `providers[0].models[1].${key}` };
    },
  ],
  [
    'capabilities',
    (key) => {
      const p = provider();
      p.models[1] = { name: 'm2', capabilities: withKey({ toolCalling: true }, key) } as never;
      return { doc: { providers: [p] }, path: `providers[0].models[1].capabilities.${key}` };
    },
  ],
  [
    'keyStore',
    (key) => ({
      doc: { providers: [provider()], keyStore: withKey({ type: 'file', path: 'k.json' }, key) },
      path: `keyStore.${key}`,
    }),
  ],
  [
    'retry',
    (key) => ({
      doc: { providers: [provider()], retry: withKey({ maxRetries: 2 }, key) },
      path: `retry.${key}`,
    }),
  ],
  [
    'debugLog',
    (key) => ({
      doc: { providers: [provider()], debugLog: withKey({ showTools: true }, key) },
      path: `debugLog.${key}`,
    }),
  ],
  [
    'seed AI group',
    (key) => ({
      doc: { AI: withKey({ PROVIDERS: [{ name: 'X', api_key: 'test-key-1', models: ['m'] }] }, key) },
      path: `AI.${key}`,
    }),
  ],
  [
    'seed CLIENT_SETTINGS',
    (key) => ({
      doc: {
        AI: {
          PROVIDERS: [{ name: 'X', api_key: 'test-key-1', models: ['m'] }],
          CLIENT_SETTINGS: withKey({ timeout: 30 }, key),
        },
      },
      path: `AI.CLIENT_SETTINGS.${key}`,
    }),
  ],
];

/** A copy of `object` with `key: 1` as an own property, even for `__proto__`. */
function withKey(object: Record<string, unknown>, key: string, value: unknown = 1): Record<string, unknown> {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

describe('config keys named like Object.prototype members are plain data', () => {
  it('a key named constructor is an unknown key by path, in YAML and in JSON (not a TypeError)', async () => {
    const yaml = await write(
      'a.yaml',
      'providers:\n  - name: OpenAI\n    apiType: openai\n    apiKeys: [test-key-1]\n    models: [gpt-4o-mini]\n    constructor: 1\nconstructor: {}\n',
    );
    expect(issuesOf(await loadError(yaml))).toEqual([
      { path: 'constructor', message: 'unknown key' },
      { path: 'providers[0].constructor', message: 'unknown key' },
    ]);
    const json = await write('a.json', '{"constructor": 1, "providers": []}');
    expect(issuesOf(await loadError(json))).toContainEqual({ path: 'constructor', message: 'unknown key' });
  });

  it('a __proto__ key is reported, never silently swallowed as a prototype', async () => {
    const file = await write(
      'p.json',
      '{"__proto__": {"defaultModel": "Nope/x"}, "providers": [{"name": "OpenAI", "apiType": "openai", "apiKeys": ["test-key-1"], "models": ["m"]}]}',
    );
    const issues = issuesOf(await loadError(file));
    expect(issues.map((issue) => issue.path)).toEqual(['__proto__']);
    expect(issues[0]?.message).toMatch(/^unknown key/);
  });

  for (const format of ['yaml', 'json'] as const) {
    it(`every Object.prototype member name at every nesting level is CONFIGURATION_ERROR by path (${format})`, async () => {
      for (const [level, build] of LEVELS) {
        for (const key of PROTOTYPE_NAMES) {
          const { doc, path } = build(key);
          const text = format === 'json' ? JSON.stringify(doc) : stringify(doc);
          const file = await write(`c.${format}`, text);
          const issues = issuesOf(await loadError(file));
          expect({ level, key, issues }).toMatchObject({
            level,
            key,
            issues: [{ path, message: expect.stringMatching(/^unknown key/) }],
          });
        }
      }
    });
  }

  it('a config object built in code (e.g. from JSON.parse) gets the same treatment', () => {
    for (const key of PROTOTYPE_NAMES) {
      const config = { ...withKey({ providers: [withKey(provider(), key)] }, key) };
      let caught: unknown;
      try {
        resolveConfig(config as never);
      } catch (error) {
        caught = error;
      }
      expect(LLMError.isInstance(caught), `${key}: ${String(caught)}`).toBe(true);
      expect(issuesOf(caught as LLMError).map((issue) => issue.path)).toEqual([key, `providers[0].${key}`]);
    }
  });

  it('free-form maps keep such keys as data (headers), and values with those names are validated', async () => {
    for (const key of PROTOTYPE_NAMES) {
      const headers = withKey({}, key, 'v');
      const file = await write('h.json', JSON.stringify({ providers: [{ ...provider(), headers }] }));
      const config = await loadConfig(file, { env: {} });
      const loaded = config.providers[0]?.headers ?? {};
      expect(Object.hasOwn(loaded, key)).toBe(true);
      expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);

      const typed = await write('t.json', JSON.stringify({ providers: [{ ...provider(), apiType: key }] }));
      expect(issuesOf(await loadError(typed))[0]?.path).toBe('providers[0].apiType');
    }
  });

  it('${NAME} never reads an inherited property of the environment', async () => {
    for (const key of PROTOTYPE_NAMES) {
      const file = await write(
        'e.yaml',
        stringify({ providers: [{ ...provider(), apiKeys: [`\${${key}}`] }] }),
      );
      expect(issuesOf(await loadError(file))).toEqual([
        {
          path: 'providers[0].apiKeys[0]',
          message: `environment variable ${key} is not set (set it, or write \${${key}:-default})`,
        },
      ]);
    }
  });
});

describe('hostile or broken YAML', () => {
  it('refuses a YAML alias bomb ("billion laughs") with CONFIGURATION_ERROR', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const file = await write('bomb.yaml', `${lines.join('\n')}\n`);
    const error = await loadError(file);
    expect(error.message).toMatch(/aliases .* expand too much/);
    expect(error.details).toMatchObject({ file });
  });

  it('still accepts ordinary anchors and aliases', async () => {
    const file = await write(
      'alias.yaml',
      [
        'providers:',
        '  - { name: A, apiType: openai, apiKeys: &keys [test-key-1, test-key-2], models: [m] }',
        '  - { name: B, apiType: openai, apiKeys: *keys, models: [m] }',
      ].join('\n'),
    );
    const config = await loadConfig(file, { env: {} });
    expect(config.providers[1]?.apiKeys).toEqual(['test-key-1', 'test-key-2']);
  });

  it('gives a YAML syntax error as CONFIGURATION_ERROR with line and column', async () => {
    const file = await write('bad.yaml', 'providers:\n  - name: "unterminated\n');
    const error = await loadError(file);
    expect(error.message).toMatch(/^Invalid YAML in .* at line \d+, column \d+: /);
    expect(error.details).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
  });

  it('refuses nesting deeper than 64 levels by path, in JSON and YAML', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const json = await write('deep.json', `{"providers": ${deep}}`);
    const error = await loadError(json);
    expect(issuesOf(error)[0]).toMatchObject({ message: 'nested more than 64 levels deep' });
    expect(issuesOf(error)[0]?.path).toMatch(/^providers\[0\]\[0\]/);
    const yaml = await write('deep.yaml', `providers: ${deep}\n`);
    await loadError(yaml);
  });

  it('refuses a file over 4 MiB before parsing it', async () => {
    const file = await write('big.yaml', `# ${'x'.repeat(4 * 1024 * 1024)}\nproviders: []\n`);
    const error = await loadError(file);
    expect(error.message).toMatch(/at most 4194304 bytes/);
  });
});
