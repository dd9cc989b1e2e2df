import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'koishi';
import type { LLM } from 'switchboard-llm';
import { type FakeProvider, startFakeProvider } from 'switchboard-llm/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Bot, fakeProvider, replyTo, startBot } from './support/koishi';

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

describe('the switchboard service', () => {
  it('is the LLM client on ctx.switchboard, for plugins that inject it', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase, [KEY])] });
    const seen: LLM[] = [];
    bot.app.plugin({
      name: 'consumer',
      inject: ['switchboard'],
      apply: (ctx: Context) => {
        seen.push(ctx.switchboard);
      },
    });
    expect(seen).toHaveLength(1);
    expect((await seen[0]?.chat('from another plugin'))?.text).toBe('echo: from another plugin');
    expect(seen[0]?.models.getDefault()).toBe('Fake/fake-model');
  });

  it('is closed when the plugin is disposed: key state flushed under the data directory, service gone', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase, [KEY])] });
    expect(await replyTo(bot.client('alice'), 'ask hello')).toBe('echo: hello');
    const llm = bot.app.get('switchboard') as LLM;
    const close = vi.spyOn(llm, 'close');

    bot.dispose();
    expect(close).toHaveBeenCalledTimes(1);
    await close.mock.results[0]?.value;

    expect(bot.app.get('switchboard')).toBeUndefined();
    const stateFile = join(bot.baseDir, 'data', 'switchboard', 'key-state.json');
    expect(existsSync(stateFile)).toBe(true);
    const state = readFileSync(stateFile, 'utf8');
    expect(state).toContain('"successCount":1');
    expect(state).not.toContain(KEY);
    // Closed: the client refuses further calls instead of opening new connections.
    await expect(llm.chat('after dispose')).rejects.toMatchObject({ name: 'LLMError' });
    bot = undefined;
  });
});
