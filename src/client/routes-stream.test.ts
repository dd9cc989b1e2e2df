import { afterEach, describe, expect, it } from 'vitest';
import { anthropicStreamReply, geminiStreamReply } from '../testing/index.js';
import { collect, finalError, rejectionOf, textsOf } from './test-support/e2e-kit.js';
import { ANTHROPIC, GEMINI, OPENAI, type RouteKit, routeKit } from './test-support/route-kit.js';

// API.md §14: streams fall back only before the first event was yielded; after that an error ends the stream.

let kit: RouteKit | undefined;
afterEach(async () => {
  await kit?.close();
  expect(kit?.fake.errors ?? []).toEqual([]);
  kit = undefined;
});

const unavailable = () => ({ json: { error: { message: 'overloaded', type: 'server_error' } }, status: 503 });
const overloaded = { type: 'overloaded_error', message: 'Overloaded' };

describe('routes: streams', () => {
  it('a first target failing before any delta falls back; the stream is the next target’s', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [OPENAI, GEMINI] }],
      handlers: { openai: unavailable, gemini: () => geminiStreamReply(['Hel', 'lo']) },
    });
    const stream = kit.llm.stream('hi', { model: 'r' });
    const events = await collect(stream);
    expect(textsOf(events)).toEqual(['Hel', 'lo']);
    expect(events.at(-1)?.type).toBe('finish');
    const response = await stream.response;
    expect(response.text).toBe('Hello');
    expect(response.model).toBe(GEMINI);
    expect(response.message.model).toBe(GEMINI);
    expect(response.attempts.map((a) => a.model)).toEqual([OPENAI, OPENAI, OPENAI, OPENAI, GEMINI]);
  });

  it('an error event before the first delta (HTTP 200 already sent) still falls back', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [ANTHROPIC, GEMINI] }],
      handlers: {
        // message_start and ping, then the error: nothing the caller could have seen.
        anthropic: () => anthropicStreamReply(['never'], { error: { ...overloaded, afterEvents: 2 } }),
        gemini: () => geminiStreamReply(['fine']),
      },
    });
    const events = await collect(kit.llm.stream('hi', { model: 'r' }));
    expect(textsOf(events)).toEqual(['fine']);
    expect(events.at(-1)).toMatchObject({ type: 'finish', response: { model: GEMINI } });
  });

  it('a target failing after a delta ends the stream with its error (error event, rejected response); no fallback', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [ANTHROPIC, GEMINI] }],
      handlers: {
        anthropic: () => anthropicStreamReply(['Par', 'is'], { error: overloaded }),
        gemini: () => geminiStreamReply(['never']),
      },
    });
    const stream = kit.llm.stream('hi', { model: 'r' });
    const events = await collect(stream);
    expect(textsOf(events)).toEqual(['Par', 'is']);
    const error = finalError(events);
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(error.details?.targets).toEqual([{ model: ANTHROPIC, code: 'API_SERVER_ERROR' }]);
    expect((await rejectionOf(stream.response)).code).toBe('API_SERVER_ERROR');
    expect(kit.requests('gemini')).toEqual([]);
  });

  it('aborting a routed stream stops it: no target after the abort is tried', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [OPENAI, GEMINI] }],
      handlers: { openai: () => ({ stall: true }), gemini: () => geminiStreamReply(['never']) },
    });
    const stream = kit.llm.stream('hi', { model: 'r' });
    const seen = collect(stream);
    while (kit.requests('openai').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stream.abort();
    const error = finalError(await seen);
    expect(error.code).toBe('ABORTED');
    expect(kit.requests('gemini')).toEqual([]);
  });

  it('a route of embedding models in stream() is an error event naming the route', async () => {
    kit = await routeKit({
      models: { openai: [{ name: 'text-embedding-3-small', embedding: true }] },
      routes: [{ name: 'vec', targets: ['OpenAI/text-embedding-3-small'] }],
    });
    const error = finalError(await collect(kit.llm.stream('hi', { model: 'vec' })));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toBe(
      'Route "vec" is of embedding models; a chat call needs chat models (llm.embed() takes this one).',
    );
  });
});
