// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the tests write literal ${ENV} references
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeProvider, openaiErrorReply, startFakeProvider } from 'switchboard-llm/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as ConfigModule from '../src/config';
import { type Bot, fakeProvider, koishi, loadModule, replyTo, startBot } from './support/koishi';

const KEY = 'test-key-0123456789abcdef';

let fake: FakeProvider;
let bot: Bot | undefined;

beforeEach(async () => {
  fake = await startFakeProvider();
});

afterEach(async () => {
  bot?.dispose();
  bot = undefined;
  await fake.close();
});

/** A 401 whose message echoes the key, as OpenAI's does. */
const echoingInvalidKey = () =>
  openaiErrorReply(401, { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' });

describe('errors reach the user as friendly messages', () => {
  it('a provider 401 is the friendly message in the configured locale, with no key in any reply or log', async () => {
    const levels = koishi.Logger.levels.base;
    koishi.Logger.levels.base = 3; // record debug lines too
    try {
      bot = await startBot({ providers: [fakeProvider(fake.openaiBase, [KEY])], locale: 'zh' });
      fake.enqueue(echoingInvalidKey());
      const reply = await replyTo(bot.client('alice', 'group-1'), 'ask hello');
      expect(reply).toBe('API密钥无效，请联系管理员更新配置。');
      expect(reply).not.toContain(KEY);
      expect(bot.logs.some((line) => line.content.includes('API_KEY_INVALID'))).toBe(true);
      for (const line of bot.logs) expect(line.content).not.toContain(KEY);
    } finally {
      koishi.Logger.levels.base = levels;
    }
  });

  it('uses English by default', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase, [KEY])] });
    fake.enqueue(echoingInvalidKey());
    expect(await replyTo(bot.client('alice'), 'ask hello')).toBe(
      'The API key is invalid; ask the administrator to update the configuration.',
    );
  });
});

describe('the Config schema', () => {
  const { Config } = loadModule<typeof ConfigModule>('config');

  it('fills the defaults of API.md §17', () => {
    expect(Config({ providers: [{ name: 'X', apiKeys: [KEY], models: ['m'] }] } as never)).toEqual({
      providers: [{ name: 'X', apiType: 'openai', apiKeys: [KEY], models: ['m'] }],
      locale: 'en',
      observeGroups: false,
      adminAuthority: 3,
    });
  });

  it('marks the API keys as secrets for the Koishi console', () => {
    // Schemastery's structure: intersect → object → providers: array of objects → apiKeys: array of strings.
    const schema = Config as unknown as {
      list: Array<{
        dict: Record<string, { inner: { dict: Record<string, { inner: { meta: { role?: string } } }> } }>;
      }>;
    };
    const provider = schema.list[0]?.dict.providers?.inner.dict;
    expect(provider?.apiKeys?.inner.meta.role).toBe('secret');
  });

  it('rejects an unknown locale', () => {
    expect(() => Config({ locale: 'fr' } as never)).toThrow(/locale/);
  });
});

describe('configuration', () => {
  function errorLines(target: Bot): string[] {
    return target.logs.filter((line) => line.type === 'error').map((line) => line.content);
  }

  it('logs every problem of a bad config by path, and the app keeps running', async () => {
    bot = await startBot({
      providers: [
        { name: 'Good', apiType: 'openai', apiBase: fake.openaiBase, apiKeys: [KEY], models: ['m'] },
        { name: 'Bad', apiType: 'openai', apiBase: 'not a url', apiKeys: [], models: [] },
      ],
    });
    const errors = errorLines(bot).join('\n');
    expect(errors).toContain('configuration error (3 problem(s)); the plugin is not started:');
    expect(errors).toContain('providers[1].apiBase: must be an absolute http(s) URL');
    expect(errors).toContain('providers[1].apiKeys: at least one key is required');
    expect(errors).toContain('providers[1].models: at least one model is required');
    expect(errors).not.toContain(KEY);
    expect(bot.app.get('switchboard')).toBeUndefined();
    for (const command of ['ask hello', 'llm.list']) {
      expect(await replyTo(bot.client('alice'), command)).toBe(
        'The language model client is not ready; check the plugin configuration and logs.',
      );
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('needs configPath or providers, not both', async () => {
    bot = await startBot({});
    expect(errorLines(bot).join('\n')).toContain('providers: required (or set configPath)');
    bot.dispose();
    bot = await startBot({ configPath: 'switchboard.yaml', providers: [fakeProvider(fake.openaiBase)] });
    expect(errorLines(bot).join('\n')).toContain('configPath: set together with providers: use one of them');
  });

  it('reads a switchboard.yaml given by configPath (${ENV} expanded), relative to the Koishi directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-yaml-'));
    const file = join(dir, 'switchboard.yaml');
    writeFileSync(
      file,
      [
        'providers:',
        '  - name: FromFile',
        '    apiType: openai',
        `    apiBase: ${fake.openaiBase}`,
        '    apiKeys: ["${SWITCHBOARD_KOISHI_TEST_KEY}"]',
        '    models: [file-model]',
      ].join('\n'),
    );
    process.env.SWITCHBOARD_KOISHI_TEST_KEY = KEY;
    try {
      bot = await startBot({ configPath: file });
      expect(await replyTo(bot.client('alice'), 'ask hi')).toBe('echo: hi');
      expect(fake.lastRequest?.apiKey).toBe(KEY);
      expect(fake.lastRequest?.model).toBe('file-model');
    } finally {
      delete process.env.SWITCHBOARD_KOISHI_TEST_KEY;
    }
  });

  it('logs a missing config file and stays idle', async () => {
    bot = await startBot({ configPath: 'missing.yaml' });
    expect(errorLines(bot).join('\n')).toMatch(/CONFIGURATION_ERROR|missing\.yaml/);
    expect(bot.app.get('switchboard')).toBeUndefined();
  });
});
