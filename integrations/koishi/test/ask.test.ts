import { type FakeProvider, startFakeProvider } from 'switchboard-llm/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bot, fakeProvider, replyTo, startBot } from './support/koishi';

const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

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

/** The chat requests' message lists, oldest request first. */
function sentMessages(): Array<Array<{ role: string; content: unknown }>> {
  return fake
    .requestsTo('chat/completions')
    .map((request) => (request.body as { messages: Array<{ role: string; content: unknown }> }).messages);
}

/** The text of a wire message (string content or the text parts of an array). */
function textOf(message: { content: unknown }): string {
  if (typeof message.content === 'string') return message.content;
  return (message.content as Array<{ type: string; text?: string }>)
    .map((part) => (part.type === 'text' ? part.text : `<${part.type}>`))
    .join(' ');
}

describe('ask', () => {
  it("answers a mock user's `ask hello` with the provider's answer", async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] });
    expect(await replyTo(bot.client('alice', 'group-1'), 'ask hello')).toBe('echo: hello');
    expect(sentMessages()).toEqual([[{ role: 'user', content: 'hello' }]]);
  });

  it('passes an image of the message on to the provider as an image part', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] });
    const reply = await replyTo(
      bot.client('alice', 'group-1'),
      `ask what is this <img src="data:image/png;base64,${PNG_BASE64}"/>`,
    );
    expect(reply).toBe('echo: what is this');
    const [user] = sentMessages()[0] ?? [];
    expect(user?.content).toEqual([
      { type: 'text', text: 'what is this' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
    ]);
  });

  it('passes an image given by URL on by reference, and a quoted message as a placeholder', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] });
    await replyTo(
      bot.client('alice', 'group-1'),
      '<quote id="7">the cat <img src="https://example.com/cat.png"/></quote>ask is it cute?',
    );
    const [user] = sentMessages()[0] ?? [];
    expect(user?.content).toEqual([
      { type: 'text', text: '[quote: "the cat [image]"]' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      { type: 'text', text: 'is it cute?' },
    ]);
  });

  it('keeps one conversation per channel and user', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] });
    const alice = bot.client('alice', 'group-1');
    const bob = bot.client('bob', 'group-1');
    await replyTo(alice, 'ask my name is Alice');
    await replyTo(bob, 'ask who am I?');
    await replyTo(alice, 'ask and my name?');
    await replyTo(bot.client('alice', 'group-2'), 'ask fresh start');
    const [first, second, third, fourth] = sentMessages();
    expect(first?.map(textOf)).toEqual(['my name is Alice']);
    expect(second?.map(textOf)).toEqual(['who am I?']);
    expect(third?.map(textOf)).toEqual(['my name is Alice', 'echo: my name is Alice', 'and my name?']);
    expect(fourth?.map(textOf)).toEqual(['fresh start']);
  });

  it('with observeGroups, gives ask the lines said before it in the channel, in order', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)], observeGroups: true });
    const alice = bot.client('alice', 'group-1');
    const bob = bot.client('bob', 'group-1');
    const carol = bot.client('carol', 'group-1');
    await carol.receive('the sky is green');
    await bob.receive('no, it is blue <img src="https://example.com/sky.png"/>');
    await bot.client('dave', 'group-2').receive('elsewhere');
    expect(await replyTo(alice, 'ask what colour is the sky?')).toBe('echo: what colour is the sky?');
    await carol.receive('told you');
    await replyTo(bob, 'ask and now?');

    const [aliceTurn, bobTurn] = sentMessages();
    expect(aliceTurn?.map(textOf)).toEqual([
      'carol: the sky is green',
      'bob: no, it is blue <image_url>',
      'what colour is the sky?',
    ]);
    // Bob has not asked before: he gets every line (not commands, not the bot's answers), his own included.
    expect(bobTurn?.map(textOf)).toEqual([
      'carol: the sky is green',
      'bob: no, it is blue <image_url>',
      'carol: told you',
      'and now?',
    ]);
  });

  it('without observeGroups, other lines are not sent', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] });
    await bot.client('carol', 'group-1').receive('the sky is green');
    await replyTo(bot.client('alice', 'group-1'), 'ask what colour is the sky?');
    expect(sentMessages()[0]?.map(textOf)).toEqual(['what colour is the sky?']);
  });

  it('answers `ask` without text with its usage', async () => {
    bot = await startBot({ providers: [fakeProvider(fake.openaiBase)] });
    expect(await replyTo(bot.client('alice'), 'ask')).toMatch(/^Usage: ask <text>/);
    expect(fake.requests).toHaveLength(0);
  });
});
