import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../keys/test-support/manual-clock.js';
import {
  anthropicMessageReply,
  geminiReply,
  openaiChatReply,
  openaiErrorReply,
  rateLimitReply,
} from '../testing/index.js';
import { rejectionOf } from './test-support/e2e-kit.js';
import { ANTHROPIC, GEMINI, OPENAI, type RouteKit, routeKit } from './test-support/route-kit.js';

// API.md §14: fallback chains across providers and dialects, one deadline, fallbackOn, details.targets.

let kit: RouteKit | undefined;
afterEach(async () => {
  await kit?.close();
  expect(kit?.fake.errors ?? []).toEqual([]);
  kit = undefined;
});

const unavailable = () => ({
  json: { error: { message: 'The server is overloaded', type: 'server_error' } },
  status: 503,
});
const CHAIN = { name: 'smart', targets: [OPENAI, GEMINI, ANTHROPIC] };

describe('routes: fallback across dialects', () => {
  it('OpenAI 503s (after its retries) → Gemini 429 on every key → Anthropic answers; attempts name all three', async () => {
    kit = await routeKit({
      routes: [CHAIN],
      keys: { gemini: ['test-key-g1', 'test-key-g2'] },
      handlers: {
        openai: unavailable,
        // A hint past the deadline: no key comes back in time, so Gemini gives up at once.
        gemini: () => rateLimitReply({ dialect: 'gemini', retryAfterSeconds: 600 }),
        anthropic: () => anthropicMessageReply('from Anthropic'),
      },
    });
    const response = await kit.llm.chat('hi', { model: 'smart', timeoutMs: 60_000 });
    expect(response.text).toBe('from Anthropic');
    expect(response.model).toBe(ANTHROPIC);
    expect(response.message.model).toBe(ANTHROPIC);
    expect(response.attempts.map((a) => [a.model, a.status, a.code ?? 'ok'])).toEqual([
      // maxRetries 3: four attempts on OpenAI's one key.
      [OPENAI, 503, 'API_SERVER_ERROR'],
      [OPENAI, 503, 'API_SERVER_ERROR'],
      [OPENAI, 503, 'API_SERVER_ERROR'],
      [OPENAI, 503, 'API_SERVER_ERROR'],
      [GEMINI, 429, 'API_RATE_LIMITED'],
      [GEMINI, 429, 'API_RATE_LIMITED'],
      [ANTHROPIC, 200, 'ok'],
    ]);
    expect(kit.requests('gemini').map((r) => r.apiKey)).toEqual(['test-key-g1', 'test-key-g2']);
    expect(response.warnings).toEqual([]);
  });

  it('one deadline: a slow first target eats the budget, the call ends with API_TIMEOUT untried targets untouched', async () => {
    const clock = new ManualClock(1_000_000, true);
    kit = await routeKit({
      routes: [CHAIN],
      clock,
      handlers: {
        // The first target takes 10 s of the call's 5 s (by the client's clock), then fails.
        openai: () => {
          clock.time += 10_000;
          return unavailable();
        },
      },
    });
    const error = await rejectionOf(kit.llm.chat('hi', { model: 'smart', timeoutMs: 5000 }));
    expect(error.code).toBe('API_TIMEOUT');
    expect(error.message).toContain(`deadline passed before ${GEMINI} could be tried`);
    expect(error.details?.targets).toEqual([
      { model: OPENAI, code: 'API_SERVER_ERROR' },
      { model: GEMINI, skipped: 'the deadline had passed' },
    ]);
    expect(error.attempts?.map((a) => a.model)).toEqual([OPENAI]);
    expect(kit.requests('gemini')).toEqual([]);
    expect(kit.requests('anthropic')).toEqual([]);
  });

  it('one deadline, on the wire: a stalled first target times out at the call deadline and nothing else is tried', async () => {
    kit = await routeKit({ routes: [CHAIN], handlers: { openai: () => ({ stall: true }) } });
    const error = await rejectionOf(kit.llm.chat('hi', { model: 'smart', timeoutMs: 300 }));
    expect(error.code).toBe('API_TIMEOUT');
    expect((error.details?.targets as { model: string }[] | undefined)?.[0]).toEqual({
      model: OPENAI,
      code: 'API_TIMEOUT',
    });
  });

  it("without a call timeoutMs each target is bounded by its provider's timeoutMs: a stalled provider falls back", async () => {
    kit = await routeKit({
      routes: [CHAIN],
      provider: { openai: { timeoutMs: 200 } },
      handlers: { openai: () => ({ stall: true }), gemini: () => geminiReply('from Gemini') },
    });
    const response = await kit.llm.chat('hi', { model: 'smart' });
    expect(response.text).toBe('from Gemini');
    expect(response.attempts[0]).toMatchObject({ model: OPENAI, code: 'API_TIMEOUT' });
  });
});

describe('routes: what falls back and what ends the call', () => {
  it('an error outside fallbackOn ends the call with that error; the next target is never tried', async () => {
    kit = await routeKit({
      routes: [CHAIN],
      handlers: {
        openai: () =>
          openaiErrorReply(400, {
            message: "Unsupported value: 'temperature'",
            type: 'invalid_request_error',
          }),
      },
    });
    const error = await rejectionOf(kit.llm.chat('hi', { model: 'smart' }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.model).toBe(OPENAI);
    expect(error.details?.targets).toEqual([{ model: OPENAI, code: 'INVALID_PARAMETER' }]);
    expect(kit.requests('gemini')).toEqual([]);
  });

  it('a custom fallbackOn decides: [] never falls back, [INVALID_PARAMETER] does on a 400', async () => {
    kit = await routeKit({
      routes: [
        { name: 'strict', targets: [OPENAI, GEMINI], fallbackOn: [] },
        { name: 'lenient', targets: [OPENAI, GEMINI], fallbackOn: ['INVALID_PARAMETER'] },
      ],
      handlers: {
        openai: (request) =>
          request.rawBody.includes('strict')
            ? unavailable()
            : openaiErrorReply(400, { message: 'bad', type: 'invalid_request_error' }),
        gemini: () => geminiReply('from Gemini'),
      },
    });
    const strict = await rejectionOf(kit.llm.chat('strict', { model: 'strict' }));
    expect(strict.code).toBe('API_SERVER_ERROR');
    expect(kit.requests('gemini')).toEqual([]);
    const lenient = await kit.llm.chat('lenient', { model: 'lenient' });
    expect(lenient.text).toBe('from Gemini');
  });

  it('when every target fails the error is the last target’s, with every code in details.targets', async () => {
    kit = await routeKit({
      routes: [CHAIN],
      handlers: {
        openai: unavailable,
        gemini: () => rateLimitReply({ dialect: 'gemini', retryAfterSeconds: 600 }),
        anthropic: () => ({
          json: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
          status: 529,
        }),
      },
    });
    const error = await rejectionOf(kit.llm.chat('hi', { model: 'smart', timeoutMs: 60_000 }));
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(error.model).toBe(ANTHROPIC);
    expect(error.provider).toBe('Anthropic');
    expect(error.details).toMatchObject({
      route: 'smart',
      targets: [
        { model: OPENAI, code: 'API_SERVER_ERROR' },
        { model: GEMINI, code: 'API_RATE_LIMITED' },
        { model: ANTHROPIC, code: 'API_SERVER_ERROR' },
      ],
    });
    expect(new Set(error.attempts?.map((a) => a.model))).toEqual(new Set([OPENAI, GEMINI, ANTHROPIC]));
  });

  it('an ad-hoc model list is a fallback chain with the default fallbackOn; one element works too', async () => {
    kit = await routeKit({
      handlers: { openai: unavailable, anthropic: () => anthropicMessageReply('from Anthropic') },
    });
    const response = await kit.llm.chat('hi', { model: [OPENAI, ANTHROPIC] });
    expect(response.model).toBe(ANTHROPIC);
    const single = await kit.llm.chat('hi', { model: [ANTHROPIC] });
    expect(single.text).toBe('from Anthropic');
    const bad = await rejectionOf(kit.llm.chat('hi', { model: [OPENAI, 'OpenAI/nope'] }));
    expect(bad.code).toBe('MODEL_NOT_FOUND');
  });

  it('a target config is the base and the call config wins field by field', async () => {
    kit = await routeKit({
      routes: [
        {
          name: 'tuned',
          targets: [{ model: OPENAI, config: { core: { maxTokens: 77, temperature: 0.1, topP: 0.5 } } }],
        },
      ],
      handlers: { openai: () => openaiChatReply('ok') },
    });
    await kit.llm.chat('hi', { model: 'tuned', config: { core: { temperature: 0.9 } } });
    const body = kit.requests('openai')[0]?.body as Record<string, unknown>;
    expect(body.temperature).toBe(0.9);
    expect(body.top_p).toBe(0.5);
    expect(body.max_tokens ?? body.max_completion_tokens).toBe(77);
  });

  it('a default model may be a route; an unknown name lists models and routes', async () => {
    kit = await routeKit({
      routes: [CHAIN],
      config: { defaultModel: 'smart' },
      handlers: { openai: unavailable, gemini: () => geminiReply('from Gemini') },
    });
    expect((await kit.llm.chat('hi')).model).toBe(GEMINI);
    const error = await rejectionOf(kit.llm.chat('hi', { model: 'dumb' }));
    expect(error.code).toBe('MODEL_NOT_FOUND');
    expect(error.message).toContain('routes: smart');
  });
});
