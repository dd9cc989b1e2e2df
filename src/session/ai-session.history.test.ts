import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage, MemoryProcessor } from '../spec/index.js';
import { TINY_PNG_BASE64 } from '../testing/auto-images.js';
import { AI } from './ai-session.js';
import { FakeBackend } from './test-support/fake-backend.js';
import { windowPolicy } from './window-policy.js';

const call = (id: string, name = 'tool') => ({ id, name, arguments: {}, rawArguments: '{}' });
const BIG = Buffer.alloc(12_600, 7).toString('base64'); // 12.3 KB

async function rejection(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(LLMError.isInstance(error)).toBe(true);
  return error as LLMError;
}

describe('AI.addToHistory', () => {
  it('appends without calling the model; a string is a user message', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    await ai.addToHistory('I am Ada.');
    await ai.addToHistory([
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: [{ type: 'text', text: 'Remember me.' }] },
    ]);
    expect(backend.calls).toHaveLength(0);
    expect(await ai.history()).toEqual([
      { role: 'user', content: 'I am Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: [{ type: 'text', text: 'Remember me.' }] },
    ]);
    await ai.chat('Who am I?');
    expect(backend.calls[0]!.messages).toHaveLength(4);
  });

  it('accepts tool results only for open calls of the assistant turn before them', async () => {
    const ai = new AI(new FakeBackend());
    const orphan = await rejection(ai.addToHistory({ role: 'tool', toolCallId: 'x', content: 'r' }));
    expect(orphan.message).toMatch(/messages\[0\]: a tool result for call 'x'.*no call is waiting/);
    await ai.addToHistory([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [call('a', 'one'), call('b', 'two')] },
      { role: 'tool', toolCallId: 'a', name: 'one', content: '1' },
    ]);
    const twice = await rejection(
      ai.addToHistory({ role: 'tool', toolCallId: 'a', name: 'one', content: '1' }),
    );
    expect(twice.message).toMatch(/call 'a'.*open calls: 'b' \(two\)/);
    await ai.addToHistory({ role: 'tool', toolCallId: 'b', name: 'two', content: '2' });
    const late = await rejection(
      ai.addToHistory([
        { role: 'user', content: 'next' },
        { role: 'tool', toolCallId: 'b', content: '2' },
      ]),
    );
    expect(late.details).toMatchObject({ path: 'messages[1]', toolCallId: 'b' });
    expect(await ai.history()).toHaveLength(4);
  });

  it('refuses system and malformed messages by path', async () => {
    const ai = new AI(new FakeBackend());
    expect((await rejection(ai.addToHistory({ role: 'system', content: 'x' }))).message).toMatch(
      /^messages: a session turn cannot be a system message/,
    );
    expect(
      (
        await rejection(
          ai.addToHistory([{ role: 'user', content: 'ok' }, { role: 'tool', content: 'x' } as LLMMessage]),
        )
      ).message,
    ).toMatch(/^messages\[1\]\.toolCallId/);
  });

  it('trims with the policy and shows the stored messages to afterReceive', async () => {
    const seen: LLMMessage[][] = [];
    const processor: MemoryProcessor = { afterReceive: (_id, stored) => void seen.push(stored) };
    const ai = new AI(new FakeBackend(), { policy: windowPolicy(2), processors: [processor] });
    await ai.addToHistory(['a', 'b', 'c'].map((text) => ({ role: 'user' as const, content: text })));
    expect(await ai.memory.load(ai.sessionId)).toEqual([
      { role: 'user', content: 'b' },
      { role: 'user', content: 'c' },
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(3);
  });
});

describe('preserveMediaInHistory', () => {
  const picture = (data = BIG): LLMMessage => ({
    role: 'user',
    content: [
      { type: 'text', text: 'What is this?' },
      { type: 'image', mimeType: 'image/png', data },
      { type: 'image', url: 'https://example.com/cat.jpg' },
    ],
  });

  it('sends the media once, then stores a placeholder naming type, MIME type and size (default)', async () => {
    const backend = new FakeBackend();
    backend.script.push({
      text: 'A drawing; here is mine.',
      parts: [{ type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 }],
    });
    const ai = new AI(backend);
    await ai.chat(picture());
    expect(backend.calls[0]!.messages[0]).toEqual(picture());
    const [user, answer] = await ai.history();
    expect(user!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'text', text: '[image: image/png, 12.3 KB]' },
      { type: 'image', url: 'https://example.com/cat.jpg' },
    ]);
    expect(answer!.content).toEqual([
      { type: 'text', text: 'A drawing; here is mine.' },
      { type: 'text', text: '[image: image/png, 70 B]' },
    ]);
    await ai.chat('And now?');
    expect(JSON.stringify(backend.calls[1]!.messages)).not.toContain(BIG.slice(0, 40));
  });

  it('keeps media with preserveMediaInHistory (session or call), and the call wins', async () => {
    const kept = new AI(new FakeBackend(), { preserveMediaInHistory: true });
    await kept.chat(picture());
    expect((await kept.history())[0]).toEqual(picture());
    await kept.chat(picture(TINY_PNG_BASE64), { preserveMediaInHistory: false });
    expect(JSON.stringify((await kept.history())[2])).toContain('[image: image/png, 70 B]');

    const perCall = new AI(new FakeBackend());
    await perCall.chat(picture(), { preserveMediaInHistory: true });
    expect((await perCall.history())[0]).toEqual(picture());
  });

  it('applies to observations, addToHistory and streams', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend);
    ai.addObservation(picture());
    await ai.stream('seen?').response;
    await ai.addToHistory([
      { role: 'user', content: [{ type: 'audio', mimeType: 'audio/wav', data: BIG, name: 'memo.wav' }] },
    ]);
    await ai.addToHistory(picture(), { preserveMediaInHistory: true });
    const stored = await ai.history();
    expect(JSON.stringify(stored[0])).toContain('[image: image/png, 12.3 KB]');
    expect(stored[3]!.content).toEqual([{ type: 'text', text: '[audio memo.wav: audio/wav, 12.3 KB]' }]);
    expect(stored[4]).toEqual(picture());
  });
});

describe('AI.code, AI.search, AI.embed', () => {
  it('code() and search() are turns with the native tool added to the session tools', async () => {
    const backend = new FakeBackend();
    const weather = { name: 'weather', parameters: { type: 'object', properties: {} } };
    const ai = new AI(backend, { tools: [weather] });
    await ai.code('Compute the 10th prime');
    await ai.search('Latest Node.js release');
    expect(backend.calls[0]!.options.tools).toEqual([
      weather,
      { kind: 'provider', provider: 'gemini', type: 'code_execution' },
    ]);
    expect(backend.calls[1]!.options.tools).toEqual([
      weather,
      { kind: 'provider', provider: 'gemini', type: 'google_search' },
    ]);
    expect(backend.calls[1]!.messages[0]!.content).toMatch(/^You are an expert at finding/);
    expect((await ai.history()).map((m) => m.content)).toEqual([
      'Compute the 10th prime',
      'reply 1',
      'Latest Node.js release',
      'reply 2',
    ]);
    const persona = new AI(backend, { instruction: 'You are Kiki.' });
    await persona.search('news', { tools: [] });
    expect(backend.calls[2]!.messages[0]).toEqual({ role: 'system', content: 'You are Kiki.' });
    expect(backend.calls[2]!.options.tools).toEqual([
      { kind: 'provider', provider: 'gemini', type: 'google_search' },
    ]);
  });

  it('embed() uses the session embedding model and deadline, and never touches history', async () => {
    const backend = new FakeBackend();
    const ai = new AI(backend, { embeddingModel: 'OpenAI/text-embedding-3-small', timeoutMs: 5000 });
    expect(await ai.embed(['ab', 'abc'])).toEqual([
      [2, 0.5],
      [3, 0.5],
    ]);
    await ai.embed('x', { model: 'Gemini/gemini-embedding-001' });
    expect(backend.calls.map((c) => c.options)).toEqual([
      { texts: ['ab', 'abc'], model: 'OpenAI/text-embedding-3-small', timeoutMs: 5000 },
      { texts: ['x'], model: 'Gemini/gemini-embedding-001', timeoutMs: 5000 },
    ]);
    expect(await ai.history()).toEqual([]);
    backend.script.push({ fail: new Error('vector store down') });
    expect((await rejection(ai.embed('y'))).code).toBe('EMBEDDING_FAILED');
    const { embed: _embed, ...withoutEmbed } = backend;
    const noEmbed = new AI({
      ...withoutEmbed,
      generate: backend.generate.bind(backend),
      stream: backend.stream.bind(backend),
      generateStructured: backend.generateStructured.bind(backend),
    });
    expect((await rejection(noEmbed.embed('z'))).code).toBe('CONFIGURATION_ERROR');
  });
});
