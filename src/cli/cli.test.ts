import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, openaiErrorReply, startFakeProvider } from '../testing/index.js';
import {
  createWorkspace,
  FAST_RETRY,
  forbidInOutput,
  leakedSecrets,
  runCli,
  type Workspace,
} from './test-support/cli-harness.js';

const KEYS = ['test-key-cli-alpha-a001', 'test-key-cli-bravo-b002'];
let fake: FakeProvider;
let ws: Workspace;
let empty: string;

beforeAll(async () => {
  // The fake echoes the presented key back in its invalid-key message, like a careless provider would.
  fake = await startFakeProvider({
    handler: (request) =>
      request.apiKey === KEYS[1]
        ? openaiErrorReply(401, {
            message: `Incorrect API key provided: ${request.apiKey}`,
            code: 'invalid_api_key',
          })
        : undefined,
  });
  ws = await createWorkspace({
    providers: [
      { name: 'OpenAI', apiType: 'openai', apiBase: fake.openaiBase, apiKeys: KEYS, models: ['gpt-4o-mini'] },
    ],
    retry: FAST_RETRY,
  });
  empty = await mkdtemp(join(tmpdir(), 'switchboard-empty-'));
});

afterAll(async () => {
  await fake.close();
  await ws.cleanup();
  await rm(empty, { recursive: true, force: true });
});

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard (global behaviour)', { timeout: 60_000 }, () => {
  it('prints help with every command (serve included) and examples', async () => {
    const run = await runCli(['--help'], { cwd: empty });
    expect(run.code).toBe(0);
    for (const command of ['chat', 'models', 'keys', 'embed', 'image', 'doctor', 'demo', 'serve']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('$ switchboard chat "Hello"');
    expect(run.stdout).toMatch(/--config <file>/);
    expect(run.stdout).toMatch(/--locale <locale>/);
    expect(run.stdout).toContain('$ switchboard serve --port 4000');
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = await runCli(['--version'], { cwd: empty });
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('rejects an unknown command with exit 1', async () => {
    const run = await runCli(['frobnicate'], { cwd: empty });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });

  it('explains how to create switchboard.yaml when there is no config', async () => {
    const run = await runCli(['models'], { cwd: empty });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[CONFIGURATION_ERROR\]: /);
    expect(run.stderr).toContain('No configuration file found');
    expect(run.stderr).toContain('Create switchboard.yaml, for example:');
    expect(run.stderr).toContain('pass --config FILE');
    expect(run.stderr).toContain('apiKeys:');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stdout).toBe('');
  });

  it('names a missing --config file and a missing $SWITCHBOARD_CONFIG file', async () => {
    const byFlag = await runCli(['--config', 'nope.yaml', 'models'], { cwd: empty });
    expect(byFlag.code).toBe(1);
    expect(byFlag.stderr).toContain(`Configuration file not found: ${join(empty, 'nope.yaml')}`);
    const byEnv = await runCli(['models'], {
      cwd: empty,
      env: { SWITCHBOARD_CONFIG: join(empty, 'env.yaml') },
    });
    expect(byEnv.code).toBe(1);
    expect(byEnv.stderr).toContain(`Configuration file not found: ${join(empty, 'env.yaml')}`);
  });

  it('reads the config named by --config and by $SWITCHBOARD_CONFIG from another directory', async () => {
    const byFlag = await runCli(['--config', ws.configFile, 'chat', 'flag'], { cwd: empty });
    expect(byFlag).toMatchObject({ code: 0, stdout: 'echo: flag\n' });
    const byEnv = await runCli(['chat', 'env'], { cwd: empty, env: { SWITCHBOARD_CONFIG: ws.configFile } });
    expect(byEnv).toMatchObject({ code: 0, stdout: 'echo: env\n' });
  });

  it('lists every problem of a bad config by path, exit 1, without a stack trace', async () => {
    const bad = await createWorkspace(
      [
        'providers:',
        '  - name: A',
        '    apiType: openai',
        '    models: [gpt-4o-mini]',
        '  - name: B',
        '    apiType: nonsense',
        '    apiKeys: [test-key-bad-config-0001]',
        '    models: [m]',
        'timeout: 5',
      ].join('\n'),
    );
    forbidInOutput(['test-key-bad-config-0001']);
    try {
      const run = await bad.run(['chat', 'hi']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error \[CONFIGURATION_ERROR\]: /);
      expect(run.stderr).toContain('providers[0].apiKeys');
      expect(run.stderr).toContain('providers[1].apiType');
      expect(run.stderr).toMatch(/^timeout: /m);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      const debug = await bad.run(['--debug', 'chat', 'hi']);
      expect(debug.stderr).toMatch(/\n\s+at /); // --debug adds the stack
    } finally {
      await bad.cleanup();
    }
  });

  it('prints provider failures as "error [CODE]: friendly message" with the masked key, in the chosen locale', async () => {
    const en = await ws.run(['chat', 'hi']);
    expect(en.code).toBe(0); // the invalid key is skipped by rotation
    const onlyBad = await createWorkspace({
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: [KEYS[1]],
          models: ['gpt-4o-mini'],
        },
      ],
      retry: FAST_RETRY,
    });
    try {
      const run = await onlyBad.run(['chat', 'hi']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error \[API_KEY_INVALID\]: The provider rejected the API key; replace it/);
      expect(run.stderr).toContain('key test…b002');
      // The key was disabled by the first run (the file store persists it), so now no key is available.
      const zh = await onlyBad.run(['--locale', 'zh', 'chat', 'hi']);
      expect(zh.code).toBe(1);
      expect(zh.stderr).toMatch(/^error \[NO_AVAILABLE_KEYS\]: OpenAI 当前没有可用的 API 密钥/);
      expect(zh.stderr).toContain('switchboard keys reset OpenAI [keyId]');
    } finally {
      await onlyBad.cleanup();
    }
  });

  it('rejects an unsupported --locale', async () => {
    const run = await runCli(['--locale', 'fr', 'models'], { cwd: empty });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Allowed choices are en, zh');
  });

  it('never prints a configured key, even with --debug and a provider echoing keys back', async () => {
    const runs = await Promise.all([
      ws.run(['--debug', 'chat', 'hello']),
      ws.run(['--debug', 'chat', 'hello', '--json']),
      ws.run(['--debug', 'doctor']),
      ws.run(['--debug', 'keys', '--json']),
      ws.run(['--debug', 'models']),
    ]);
    const all = runs.map((run) => run.stdout + run.stderr).join('\n');
    expect(all).toContain('test…a001'); // the masked ids are shown…
    expect(all).toContain('Incorrect API key provided'); // …the provider's message too…
    expect(leakedSecrets(all)).toEqual([]); // …but never a key
    for (const key of KEYS) expect(all).not.toContain(key);
  });
});
