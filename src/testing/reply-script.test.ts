import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import {
  geminiReply,
  openaiChatReply,
  openaiToolCallReply,
  type RecordedRequest,
  type Reply,
  startFakeProvider,
} from './index.js';
import { postJson } from './test-support/http.js';

const chat = (base: string, text = 'hi') =>
  postJson(`${base}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: text }] }).then(
    (res) => res.json() as Promise<any>,
  );

describe('scripted replies', () => {
  it('serves an array in order, then automatic replies', async () => {
    await using fake = await startFakeProvider([openaiChatReply('one'), openaiChatReply('two')]);
    expect(fake.pendingReplies).toBe(2);
    expect((await chat(fake.openaiBase)).choices[0].message.content).toBe('one');
    expect((await chat(fake.openaiBase)).choices[0].message.content).toBe('two');
    expect((await chat(fake.openaiBase, 'third')).choices[0].message.content).toBe('echo: third');
    expect(fake.pendingReplies).toBe(0);
  });

  it('does not consume the array it was given', async () => {
    const replies: Reply[] = [openaiChatReply('one')];
    await using fake = await startFakeProvider(replies);
    await chat(fake.openaiBase);
    expect(replies).toHaveLength(1);
  });

  it('calls a handler with the recorded request; undefined falls back to the automatic reply', async () => {
    const seen: RecordedRequest[] = [];
    await using fake = await startFakeProvider((request, context) => {
      seen.push(request);
      if (context.index === 0) return openaiChatReply(`model was ${request.model}`);
      if (context.index === 1) return { ...context.automatic(), headers: { 'x-wrapped': 'yes' } };
      return undefined;
    });
    expect((await chat(fake.openaiBase)).choices[0].message.content).toBe('model was m');
    const wrapped = await postJson(`${fake.openaiBase}/chat/completions`, {
      messages: [{ role: 'user', content: 'w' }],
    });
    expect(wrapped.headers.get('x-wrapped')).toBe('yes');
    expect(((await wrapped.json()) as any).choices[0].message.content).toBe('echo: w');
    expect((await chat(fake.openaiBase, 'three')).choices[0].message.content).toBe('echo: three');
    expect(seen.map((r) => r.path)).toEqual(Array(3).fill('/v1/chat/completions'));
  });

  it('accepts an async handler', async () => {
    await using fake = await startFakeProvider(async () => openaiChatReply('async'));
    expect((await chat(fake.openaiBase)).choices[0].message.content).toBe('async');
  });

  it('routes scripts by method and path, canonical forms and * wildcards', async () => {
    await using fake = await startFakeProvider({
      routes: {
        'POST /v1/chat/completions': [
          openaiChatReply('routed'),
          openaiToolCallReply([{ name: 'f', arguments: { a: 1 } }]),
        ],
        'POST /v1beta/models/*:generateContent': () => geminiReply('gemini routed'),
        'GET /v1/models': [{ json: { data: [] } }],
      },
    });
    // The Gemini OpenAI endpoint and the bare path reach the canonical /v1/chat/completions script.
    expect((await chat(`${fake.url}/v1beta/openai`)).choices[0].message.content).toBe('routed');
    const tool = await chat(fake.url);
    expect(tool.choices[0].message.tool_calls[0].function).toEqual({ name: 'f', arguments: '{"a":1}' });
    expect((await chat(fake.openaiBase, 'after')).choices[0].message.content).toBe('echo: after');
    const gemini = await postJson(`${fake.url}/v1beta/models/any-model:generateContent`, { contents: [] });
    expect(((await gemini.json()) as any).candidates[0].content.parts[0].text).toBe('gemini routed');
    const embeddings = await postJson(`${fake.openaiBase}/embeddings`, { input: 'x' });
    expect(((await embeddings.json()) as any).data).toHaveLength(1);
    expect(await (await fetch(`${fake.openaiBase}/models`)).json()).toEqual({ data: [] });
  });

  it('checks routes before the queue and the queue before the handler', async () => {
    await using fake = await startFakeProvider({
      routes: { '/v1/embeddings': [{ json: { route: true } }] },
      replies: [{ json: { queue: true } }],
      handler: () => ({ json: { handler: true } }),
    });
    expect(await (await postJson(`${fake.openaiBase}/embeddings`, {})).json()).toEqual({ route: true });
    expect(await (await postJson(`${fake.openaiBase}/embeddings`, {})).json()).toEqual({ queue: true });
    expect(await (await postJson(`${fake.openaiBase}/embeddings`, {})).json()).toEqual({ handler: true });
  });

  it('enqueue and setHandler change the script later', async () => {
    await using fake = await startFakeProvider();
    fake.enqueue(openaiChatReply('queued'));
    fake.setHandler(() => openaiChatReply('handled'));
    expect((await chat(fake.openaiBase)).choices[0].message.content).toBe('queued');
    expect((await chat(fake.openaiBase)).choices[0].message.content).toBe('handled');
    fake.setHandler(undefined);
    expect((await chat(fake.openaiBase)).choices[0].message.content).toBe('echo: hi');
  });

  it('answers 500 and records the problem when a handler throws or a reply is invalid', async () => {
    await using fake = await startFakeProvider({
      replies: [{ nonsense: true } as unknown as Reply],
      handler: () => {
        throw new Error('handler broke');
      },
    });
    const invalid = await postJson(`${fake.openaiBase}/chat/completions`, {});
    expect(invalid.status).toBe(500);
    expect(await invalid.text()).toContain('invalid reply');
    const thrown = await postJson(`${fake.openaiBase}/chat/completions`, {});
    expect(thrown.status).toBe(500);
    expect(fake.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('invalid reply'),
      'handler broke',
    ]);
  });

  it('rejects unknown options and malformed route keys with a CONFIGURATION_ERROR', async () => {
    await expect(startFakeProvider({ json: {} } as never)).rejects.toThrow(
      /unknown option "json" \(a single reply/,
    );
    const error = await startFakeProvider({ routes: { 'chat/completions': [] } }).catch((e: unknown) => e);
    expect(LLMError.isInstance(error) && error.code).toBe('CONFIGURATION_ERROR');
  });
});
