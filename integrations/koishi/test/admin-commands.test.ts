import { type FakeProvider, openaiErrorReply, startFakeProvider } from 'switchboard-llm/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bot, fakeProvider, replyTo, startBot } from './support/koishi';

// 16+ characters: masked as first 4 … last 4. Short keys are masked as key# + 6 hex digits of their hash.
const LONG_KEY = 'test-key-0123456789abcdef';
const SHORT_KEY = 'test-key-2';

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

// Koishi's own answer (its default locale) when a command's authority is not reached.
const KOISHI_LOW_AUTHORITY = '权限不足。';

const invalidKey = () =>
  openaiErrorReply(401, { message: 'Incorrect API key provided.', code: 'invalid_api_key' });

describe('llm.keys', () => {
  it('shows the health of each key by its masked id only', async () => {
    bot = await startBot(
      { providers: [fakeProvider(fake.openaiBase, [LONG_KEY, SHORT_KEY])] },
      { database: true },
    );
    await bot.setAuthority('admin', 3);
    const admin = bot.client('admin', 'group-1');
    fake.enqueue(invalidKey());
    expect(await replyTo(admin, 'ask hello')).toBe('echo: hello');

    const table = await replyTo(admin, 'llm.keys');
    expect(table).toMatch(/^API keys of Fake \(2\):/);
    expect(table).toContain('test…cdef disabled');
    expect(table).toMatch(/key#[0-9a-f]{6} healthy — calls 1, success 100%/);
    expect(table).toContain('action: replace key');
    expect(table).not.toContain(LONG_KEY);
    expect(table).not.toContain(SHORT_KEY);
    expect(await replyTo(admin, 'llm.keys Fake')).toBe(table);
  });

  it('needs admin authority', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] }, { database: true });
    expect(await replyTo(bot.client('user', 'group-1'), 'llm.keys')).toBe(KOISHI_LOW_AUTHORITY);
  });
});

describe('llm.reset-key', () => {
  it('needs authority 3 and re-enables a disabled key', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase, [LONG_KEY])] }, { database: true });
    await bot.setAuthority('mod', 2);
    await bot.setAuthority('admin', 3);
    const user = bot.client('user', 'group-1');
    const mod = bot.client('mod', 'group-1');
    const admin = bot.client('admin', 'group-1');

    fake.enqueue(invalidKey());
    expect(await replyTo(user, 'ask hello')).toBe(
      'The API key is invalid; ask the administrator to update the configuration.',
    );
    expect(await replyTo(admin, 'llm.keys')).toContain('test…cdef disabled');
    expect(await replyTo(user, 'ask again')).toMatch(/^All API keys are currently unavailable/);

    for (const client of [user, mod]) {
      expect(await replyTo(client, 'llm.reset-key Fake')).toBe(KOISHI_LOW_AUTHORITY);
    }
    expect(await replyTo(admin, 'llm.keys')).toContain('test…cdef disabled');

    expect(await replyTo(admin, 'llm.reset-key Fake test...cdef')).toBe('Key test...cdef of Fake was reset.');
    expect(await replyTo(admin, 'llm.keys')).not.toContain('disabled');
    expect(await replyTo(user, 'ask hello again')).toBe('echo: hello again');
  });

  it('resets every key of a provider without a key id', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase, [LONG_KEY])] }, { database: true });
    await bot.setAuthority('admin', 3);
    const admin = bot.client('admin');
    fake.enqueue(invalidKey());
    await replyTo(admin, 'ask hello');
    expect(await replyTo(admin, 'llm.reset-key Fake')).toBe('All keys of Fake were reset.');
    expect(await replyTo(admin, 'ask hello')).toBe('echo: hello');
  });

  it('honours a lower adminAuthority', async () => {
    bot = await startBot(
      { providers: [fakeProvider(fake.openaiBase)], adminAuthority: 2 },
      { database: true },
    );
    await bot.setAuthority('mod', 2);
    expect(await replyTo(bot.client('mod'), 'llm.reset-key Fake')).toBe('All keys of Fake were reset.');
  });

  it('refuses admin commands when Koishi knows no authority (no database)', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] });
    for (const command of ['llm.reset-key Fake', 'llm.keys', 'llm.test', 'llm.default Fake/fake-model']) {
      expect(await replyTo(bot.client('anyone'), command)).toMatch(/needs user authority/);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('llm.list, llm.info, llm.default, llm.test', () => {
  const providers = (base: string) => [
    {
      name: 'Fake',
      apiType: 'openai',
      apiBase: base,
      apiKeys: ['test-key-1'],
      models: ['fake-model', 'other'],
    },
  ];

  it('lists the models with their kind and the default marked', async () => {
    bot = await startBot({ providers: providers(fake.openaiBase) });
    expect(await replyTo(bot.client('user'), 'llm.list')).toBe(
      ['Models (default: Fake/fake-model):', 'Fake', '  * fake-model · chat', '    other · chat'].join('\n'),
    );
  });

  it("shows a model's capabilities, and says which models exist for an unknown one", async () => {
    bot = await startBot({ providers: providers(fake.openaiBase) });
    const info = await replyTo(bot.client('user'), 'llm.info Fake/other');
    expect(info).toMatch(/^Fake\/other\nkind: chat\napi type: openai\ninput: text/);
    const unknown = await replyTo(bot.client('user'), 'llm.info Fake/nope');
    expect(unknown).toMatch(/^The AI model was not found/);
    expect(unknown).toContain('MODEL_NOT_FOUND');
  });

  it('shows the default to anyone and sets it for admins only', async () => {
    bot = await startBot({ providers: providers(fake.openaiBase) }, { database: true });
    await bot.setAuthority('admin', 3);
    expect(await replyTo(bot.client('user'), 'llm.default')).toBe('Default model: Fake/fake-model');
    expect(await replyTo(bot.client('user'), 'llm.default Fake/other')).toBe(
      'You do not have the authority for this command.',
    );
    expect(await replyTo(bot.client('admin'), 'llm.default Fake/other')).toBe(
      'Default model set to Fake/other (until restart).',
    );
    expect(await replyTo(bot.client('user'), 'ask hi')).toBe('echo: hi');
    expect(fake.lastRequest?.model).toBe('other');
  });

  it('tests a model with a tiny chat and reports the latency, or the friendly error', async () => {
    bot = await startBot({ providers: providers(fake.openaiBase) }, { database: true });
    await bot.setAuthority('admin', 3);
    const admin = bot.client('admin');
    expect(await replyTo(admin, 'llm.test')).toMatch(
      /^✓ Fake\/fake-model answered in \d+ ms: echo: Reply with the single word OK\.$/,
    );
    fake.enqueue(openaiErrorReply(401, { message: `Incorrect API key provided: test-key-1`, code: null }));
    const failed = await replyTo(admin, 'llm.test Fake/other');
    expect(failed).toBe(
      'The API key is invalid; ask the administrator to update the configuration.\n(API_KEY_INVALID)',
    );
  });
});
