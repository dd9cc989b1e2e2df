// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests write literal ${ENV} references
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import { createModelRegistry } from '../models/model-registry.js';
import { loadConfig } from './load-config.js';
import { resolveConfig } from './resolve-config.js';

const SEED_FIXTURE = fileURLToPath(new URL('./fixtures/seed-config.yaml', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function loadError(path?: string, options?: Parameters<typeof loadConfig>[1]): Promise<LLMError> {
  const error = await loadConfig(path, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(LLMError.isInstance(error)).toBe(true);
  expect((error as LLMError).code).toBe('CONFIGURATION_ERROR');
  return error as LLMError;
}

const issuesOf = (error: LLMError) => error.details?.issues as { path: string; message: string }[];

describe('loadConfig: the seed layout', () => {
  it('loads and resolves the seed sample config unchanged', async () => {
    const config = await loadConfig(SEED_FIXTURE, { env: {} });
    expect(config).toMatchObject({
      defaultModel: 'Gemini/gemini-2.5-flash',
      timeoutMs: 300_000,
      retry: { maxRetries: 3, baseDelayMs: 2000 },
      structuredRetries: 2,
      debugLog: { showTools: true, showSchema: true, showSafety: true },
      geminiSafetyThreshold: 'BLOCK_NONE',
    });
    expect(config).not.toHaveProperty('proxy');

    const resolved = resolveConfig(config);
    expect(resolved.providers.map((p) => [p.name, p.apiType, p.apiBase, p.apiKeys.length])).toEqual([
      ['DeepSeek', 'openai', 'https://api.deepseek.com', 1],
      ['ARK', 'ark', 'https://ark.cn-beijing.volces.com', 1],
      ['siliconflow', 'openai', 'https://api.siliconflow.cn', 1],
      ['GLM', 'zhipu', 'https://open.bigmodel.cn', 1],
      ['Gemini', 'gemini', 'https://generativelanguage.googleapis.com', 3],
      ['OpenRouter', 'openrouter', 'https://openrouter.ai/api', 1],
    ]);
    expect(resolved.providers.find((p) => p.name === 'GLM')?.timeoutMs).toBe(180_000);
    expect(resolved.providers.find((p) => p.name === 'Gemini')?.timeoutMs).toBe(300_000);

    const registry = createModelRegistry(resolved);
    expect(registry.list()).toHaveLength(15);
    expect(registry.resolve().fullName).toBe('Gemini/gemini-2.5-flash');
    expect(registry.resolve('DeepSeek/deepseek-chat').defaults).toEqual({
      maxTokens: 4096,
      temperature: 0.7,
    });
    expect(registry.resolve('DeepSeek/deepseek-reasoner').capabilities.reasoningMode).toBe('effort');
    expect(registry.resolve('ARK/deepseek-r1-250528').capabilities.reasoningMode).toBe('effort');
    expect(registry.resolve('siliconflow/deepseek-ai/DeepSeek-V3').capabilities.jsonSchema).toBe(false);
    // provider-level temperature of GLM becomes the default of its models
    expect(registry.resolve('GLM/glm-4-flash').defaults).toEqual({ temperature: 0.7 });
    expect(registry.resolve('Gemini/gemini-2.5-pro')).toMatchObject({ apiType: 'gemini', kind: 'chat' });
    const viaGateway = registry.resolve('OpenRouter/google/gemini-2.5-pro');
    expect(viaGateway).toMatchObject({ id: 'google/gemini-2.5-pro', apiType: 'openrouter' });
    expect(viaGateway.capabilities.reasoningMode).toBe('budget');
    expect(registry.resolve('openrouter/X-AI/GROK-4').id).toBe('x-ai/grok-4');
  });

  it('reports mistakes by the path written in the file', async () => {
    const file = await write(
      'config.yaml',
      [
        'AI:',
        '  DEFAULT_MODEL_NAME: Nope/model',
        '  CLIENT_SETTINGS:',
        '    timeout: 300',
        '    retries: 3',
        '  PROVIDERS:',
        '    - name: A',
        '      api_key: test-key-1',
        '      api_type: opnai',
        '      models: [{ model_name: m1, is_available: false }]',
        '    - name: B',
        '      api_type: gemini',
        '      api_key: []',
        '      models:',
        '        - model_name: gemini-2.5-flash',
        '          max_token: 10',
      ].join('\n'),
    );
    const error = await loadError(file);
    expect(issuesOf(error)).toEqual([
      { path: 'AI.CLIENT_SETTINGS.retries', message: 'unknown key (did you mean "max_retries"?)' },
      {
        path: 'AI.DEFAULT_MODEL_NAME',
        message: 'unknown model "Nope/model"; configured: A/m1, B/gemini-2.5-flash',
      },
      {
        path: 'AI.PROVIDERS[0].api_type',
        message: expect.stringMatching(/^unknown API type "opnai"; allowed: openai, deepseek/),
      },
      { path: 'AI.PROVIDERS[1].api_key', message: 'at least one key is required' },
      { path: 'AI.PROVIDERS[1].models[0].max_token', message: 'unknown key (did you mean "max_tokens"?)' },
    ]);
    expect(error.message.split('\n')[0]).toBe(`Invalid configuration in ${file} (5 problems):`);
    expect(error.details).toMatchObject({ file });
  });

  it('accepts a bare boolean DEBUG_LOG and defaults a missing api_type to openai', async () => {
    const file = await write(
      'config.yaml',
      'AI:\n  DEBUG_LOG: true\n  PROVIDERS:\n    - name: A\n      api_key: test-key-1\n      models: [{ model_name: m }]\n',
    );
    const config = await loadConfig(file);
    expect(config.debugLog).toBe(true);
    expect(config.providers[0]?.apiType).toBe('openai');
  });
});

describe('loadConfig: formats and layouts', () => {
  it('reads camelCase JSON', async () => {
    const file = await write(
      'switchboard.json',
      JSON.stringify({
        providers: [{ name: 'OpenAI', apiType: 'openai', apiKeys: ['test-key-1'], models: ['gpt-4o-mini'] }],
        defaultModel: 'OpenAI/gpt-4o-mini',
        timeoutMs: 1000,
      }),
    );
    expect(await loadConfig(file)).toEqual({
      providers: [{ name: 'OpenAI', apiType: 'openai', apiKeys: ['test-key-1'], models: ['gpt-4o-mini'] }],
      defaultModel: 'OpenAI/gpt-4o-mini',
      timeoutMs: 1000,
    });
  });

  it('reads snake_case keys without the AI group', async () => {
    const file = await write(
      'config.yml',
      [
        'default_model: Local/qwen-max',
        'timeout_ms: 2000',
        'max_retries: 1',
        'key_store: { type: file, path: .switchboard/keys.json }',
        'providers:',
        '  - name: Local',
        '    api_type: openai',
        '    api_base: http://127.0.0.1:8000/v1',
        '    api_key: test-key-1',
        '    timeout: 20',
        '    models:',
        '      - model_name: qwen-max',
        '        max_tokens: 100',
        '      - { model_name: bge-m3-local, is_embedding_model: true }',
      ].join('\n'),
    );
    const config = await loadConfig(file);
    expect(config).toEqual({
      defaultModel: 'Local/qwen-max',
      timeoutMs: 2000,
      retry: { maxRetries: 1 },
      keyStore: { type: 'file', path: '.switchboard/keys.json' },
      providers: [
        {
          name: 'Local',
          apiType: 'openai',
          apiBase: 'http://127.0.0.1:8000/v1',
          apiKeys: 'test-key-1',
          timeoutMs: 20_000,
          models: [
            { name: 'qwen-max', maxTokens: 100 },
            { name: 'bge-m3-local', embedding: true },
          ],
        },
      ],
    });
    const resolved = resolveConfig(config);
    expect(resolved.providers[0]?.apiBase).toBe('http://127.0.0.1:8000/v1');
    expect(resolved.providers[0]?.models[1]?.kind).toBe('embedding');
  });

  it('reports an unknown top-level key from a file, and a key given twice', async () => {
    const file = await write(
      'config.yaml',
      'timeout: 30\ndefault_model: A/m\ndefaultModel: A/m\nproviders: [{ name: A, apiType: openai, apiKeys: test-key-1, models: [m] }]\n',
    );
    expect(issuesOf(await loadError(file))).toEqual([
      { path: 'defaultModel', message: 'given twice (also as default_model)' },
      { path: 'timeout', message: 'unknown key (did you mean "timeoutMs"?)' },
    ]);
  });

  it('gives the line and column of invalid YAML', async () => {
    const file = await write('bad.yaml', 'providers:\n  - name: A\n    models: [a, b\n  - name: B\n');
    const error = await loadError(file);
    expect(error.message).toMatch(/^Invalid YAML in .*bad\.yaml at line \d+, column \d+: /);
    expect(error.details).toMatchObject({ file, line: expect.any(Number), column: expect.any(Number) });
  });

  it('reports duplicate YAML keys', async () => {
    const file = await write('dup.yaml', 'timeoutMs: 1\ntimeoutMs: 2\n');
    expect((await loadError(file)).message).toMatch(/at line 2, column 1: Map keys must be unique/);
  });

  it('gives the line and column of invalid JSON', async () => {
    const file = await write('bad.json', '{\n  "providers": [],\n}\n');
    expect((await loadError(file)).message).toMatch(/^Invalid JSON in .*bad\.json at line 3, column 1: /);
  });

  it('rejects an empty file with an example', async () => {
    const file = await write('empty.yaml', '# nothing yet\n');
    const error = await loadError(file);
    expect(error.message).toContain('is empty');
    expect(error.message).toContain('defaultModel: OpenAI/gpt-4o-mini');
  });
});

describe('loadConfig: ${ENV} references', () => {
  const yaml = (keyLine: string) =>
    `providers:\n  - name: A\n    apiType: openai\n${keyLine}\n    models: [gpt-4o]\n    timeoutMs: \${TIMEOUT:-1500}\n`;

  it('expands ${NAME} and ${NAME:-default} in values', async () => {
    const file = await write('env.yaml', yaml('    apiKeys: ["${KEY_ONE}", "prefix-${KEY_TWO}"]'));
    const config = await loadConfig(file, { env: { KEY_ONE: 'test-key-1', KEY_TWO: 'two' } });
    expect(config.providers[0]).toMatchObject({ apiKeys: ['test-key-1', 'prefix-two'], timeoutMs: 1500 });
    const withTimeout = await loadConfig(file, { env: { KEY_ONE: 'a-key', KEY_TWO: 'b', TIMEOUT: '2500' } });
    expect(withTimeout.providers[0]?.timeoutMs).toBe(2500);
  });

  it('uses process.env by default and splits a comma-separated key list', async () => {
    vi.stubEnv('SWITCHBOARD_TEST_KEYS', 'test-key-1, test-key-2,');
    const file = await write('env.yaml', yaml('    apiKeys: ${SWITCHBOARD_TEST_KEYS}'));
    expect((await loadConfig(file)).providers[0]?.apiKeys).toEqual(['test-key-1', 'test-key-2']);
  });

  it('names every missing variable and where it is used', async () => {
    const file = await write(
      'env.yaml',
      'AI:\n  PROVIDERS:\n    - name: A\n      api_key: [ok, "${MISSING_KEY}"]\n      api_base: "${MISSING_BASE}"\n      models: [m]\n',
    );
    const error = await loadError(file, { env: {} });
    expect(issuesOf(error)).toEqual([
      {
        path: 'AI.PROVIDERS[0].api_key[1]',
        message: 'environment variable MISSING_KEY is not set (set it, or write ${MISSING_KEY:-default})',
      },
      {
        path: 'AI.PROVIDERS[0].api_base',
        message: 'environment variable MISSING_BASE is not set (set it, or write ${MISSING_BASE:-default})',
      },
      {
        path: 'AI.PROVIDERS[0].api_base',
        message: 'must be an absolute http(s) URL, e.g. https://api.openai.com',
      },
    ]);
  });

  it('keeps $${…} literal and rejects malformed references', async () => {
    const file = await write(
      'env.yaml',
      'providers:\n  - name: A\n    apiType: openai\n    apiKeys: "$${LITERAL}"\n    models: ["${1BAD}"]\n',
    );
    const error = await loadError(file, { env: {} });
    expect(issuesOf(error)).toEqual([
      {
        path: 'providers[0].models[0]',
        message: 'invalid reference "${1BAD}" (use ${NAME} or ${NAME:-default}; $${ for a literal)',
      },
    ]);
    const ok = await write(
      'ok.yaml',
      'providers:\n  - name: A\n    apiType: openai\n    apiKeys: "$${LITERAL}"\n    models: [m]\n',
    );
    expect((await loadConfig(ok, { env: {} })).providers[0]?.apiKeys).toBe('${LITERAL}');
  });
});

describe('loadConfig: finding the file', () => {
  const minimal = 'providers: [{ name: A, apiType: openai, apiKeys: test-key-1, models: [m] }]\n';

  it('says how to create switchboard.yaml when there is none', async () => {
    const error = await loadError(undefined, { cwd: dir, env: {} });
    expect(error.message).toContain(
      'No configuration file found: looked for switchboard.yaml, switchboard.yml, switchboard.json',
    );
    expect(error.message).toContain('Create switchboard.yaml, for example:');
    expect(error.message).toContain(
      [
        'providers:',
        '  - name: OpenAI',
        '    apiType: openai',
        '    apiKeys: ["${OPENAI_API_KEY}"]',
        '    models: [gpt-4o-mini]',
        'defaultModel: OpenAI/gpt-4o-mini',
      ].join('\n'),
    );
  });

  it('names a missing explicit path', async () => {
    const error = await loadError('nope.yaml', { cwd: dir });
    expect(error.message).toContain(`Configuration file not found: ${join(dir, 'nope.yaml')}`);
    expect(error.message).toContain('apiType: openai');
  });

  it('finds switchboard.yml, then follows SWITCHBOARD_CONFIG', async () => {
    await write('switchboard.yml', minimal);
    expect((await loadConfig(undefined, { cwd: dir, env: {} })).providers[0]?.name).toBe('A');
    await write('other.yaml', minimal.replace('name: A', 'name: Other'));
    const config = await loadConfig(undefined, { cwd: dir, env: { SWITCHBOARD_CONFIG: 'other.yaml' } });
    expect(config.providers[0]?.name).toBe('Other');
  });

  it('reads SWITCHBOARD_CONFIG from process.env by default', async () => {
    const file = await write('from-env.yaml', minimal);
    vi.stubEnv('SWITCHBOARD_CONFIG', file);
    expect((await loadConfig()).providers).toHaveLength(1);
  });
});
