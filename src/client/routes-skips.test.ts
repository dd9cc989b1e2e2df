import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  anthropicMessageReply,
  geminiReply,
  openaiChatReply,
  openaiErrorReply,
  openaiToolCallReply,
  TINY_PNG_BASE64,
} from '../testing/index.js';
import { functionTool } from '../tools/function-tool.js';
import { rejectionOf } from './test-support/e2e-kit.js';
import { ANTHROPIC, GEMINI, OPENAI, type RouteKit, routeKit } from './test-support/route-kit.js';

// API.md §14: targets that cannot serve a call are skipped with a warning; the tool loop stays on its target.

let kit: RouteKit | undefined;
afterEach(async () => {
  await kit?.close();
  expect(kit?.fake.errors ?? []).toEqual([]);
  kit = undefined;
});

const NO_TOOLS = 'OpenAI/no-tools';
const TEXT_ONLY = 'OpenAI/text-only';
const unavailable = () => ({ json: { error: { message: 'overloaded', type: 'server_error' } }, status: 503 });

function weatherTool(runs: string[]) {
  return functionTool({
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      runs.push(city);
      return { tempC: 21 };
    },
  });
}

describe('routes: capability skips', () => {
  it('a call with tools skips a model without tool calling (warning); a call without tools uses it', async () => {
    kit = await routeKit({
      models: { openai: [{ name: 'no-tools', capabilities: { toolCalling: false } }] },
      routes: [{ name: 'r', targets: [NO_TOOLS, GEMINI] }],
      handlers: {
        openai: () => openaiChatReply('plain'),
        gemini: (request) =>
          request.rawBody.includes('functionResponse')
            ? geminiReply('21 degrees')
            : geminiReply([{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }]),
      },
    });
    const runs: string[] = [];
    const response = await kit.llm.chat('weather?', { model: 'r', tools: [weatherTool(runs)] });
    expect(response.text).toBe('21 degrees');
    expect(response.model).toBe(GEMINI);
    expect(response.warnings).toEqual([
      `Route "r": skipped ${NO_TOOLS}: no tool calling, and the call has tools.`,
    ]);
    expect(runs).toEqual(['Paris']);
    expect(kit.requests('openai')).toEqual([]);
    const plain = await kit.llm.chat('hi', { model: 'r' });
    expect(plain.model).toBe(NO_TOOLS);
    expect(plain.warnings).toEqual([]);
  });

  it('an image skips a text-only model', async () => {
    kit = await routeKit({
      models: { openai: [{ name: 'text-only', capabilities: { inputModalities: ['text'] } }] },
      routes: [{ name: 'r', targets: [TEXT_ONLY, ANTHROPIC] }],
      handlers: { anthropic: () => anthropicMessageReply('a red dot') },
    });
    const response = await kit.llm.chat(
      [
        { type: 'text', text: 'What is this?' },
        { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 },
      ],
      { model: 'r' },
    );
    expect(response.model).toBe(ANTHROPIC);
    expect(response.warnings).toEqual([
      `Route "r": skipped ${TEXT_ONLY}: no image input, and the call has one.`,
    ]);
    expect(kit.requests('openai')).toEqual([]);
  });

  it('a model configured available: false is skipped (warning naming the reason), by chat and stream alike', async () => {
    kit = await routeKit({
      models: { openai: [{ name: 'retired', available: false, unavailableReason: 'quota used up' }] },
      routes: [{ name: 'r', targets: ['OpenAI/retired', GEMINI] }],
      handlers: { openai: () => openaiChatReply('never'), gemini: () => geminiReply('from gemini') },
    });
    const warning =
      'Route "r": skipped OpenAI/retired: unavailable (configured available: false: quota used up).';
    const response = await kit.llm.chat('hi', { model: 'r' });
    expect(response.model).toBe(GEMINI);
    expect(response.warnings).toEqual([warning]);
    const streamed = await kit.llm.stream('hi', { model: 'r' }).response;
    expect(streamed.text).toBe('from gemini');
    expect(streamed.warnings).toEqual([warning]);
    expect(kit.requests('openai')).toEqual([]);
  });

  it('after CONTEXT_LENGTH_EXCEEDED only targets with a known, larger contextWindow are tried', async () => {
    kit = await routeKit({
      models: {
        openai: [
          { name: 'small', contextWindow: 8000 },
          'unknown-window',
          { name: 'tiny', contextWindow: 4000 },
        ],
      },
      provider: {
        gemini: { models: [{ name: 'gemini-2.5-flash', contextWindow: 1_000_000 }] },
      },
      routes: [
        {
          name: 'long',
          targets: ['OpenAI/small', 'OpenAI/unknown-window', 'OpenAI/tiny', GEMINI],
        },
      ],
      handlers: {
        openai: () =>
          openaiErrorReply(400, {
            code: 'context_length_exceeded',
            message: "This model's maximum context length is 8000 tokens.",
            type: 'invalid_request_error',
          }),
        gemini: () => geminiReply('read it all'),
      },
    });
    const response = await kit.llm.chat('a very long text', { model: 'long' });
    expect(response.model).toBe(GEMINI);
    expect(response.warnings).toEqual([
      'Route "long": skipped OpenAI/unknown-window: context window unknown, and an earlier target exceeded its context (set contextWindow to try it).',
      'Route "long": skipped OpenAI/tiny: context window 4000 is not larger than 8000, which the call already exceeded.',
    ]);
    expect(kit.requests('openai')).toHaveLength(1);
    expect(response.attempts.map((a) => [a.model, a.code ?? 'ok'])).toEqual([
      ['OpenAI/small', 'CONTEXT_LENGTH_EXCEEDED'],
      [GEMINI, 'ok'],
    ]);
  });

  it('when no target can serve the call: INVALID_PARAMETER naming why each was skipped', async () => {
    kit = await routeKit({
      models: { openai: [{ name: 'no-tools', capabilities: { toolCalling: false } }] },
      routes: [{ name: 'r', targets: [NO_TOOLS] }],
    });
    const error = await rejectionOf(kit.llm.chat('x', { model: 'r', tools: [weatherTool([])] }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toBe(
      `Route "r": no target can serve this call: ${NO_TOOLS} (no tool calling, and the call has tools).`,
    );
    expect(error.details?.targets).toEqual([
      { model: NO_TOOLS, skipped: 'no tool calling, and the call has tools' },
    ]);
    expect(kit.fake.requests).toEqual([]);
  });

  it("toolChoice 'none' and provider tools need no tool calling", async () => {
    kit = await routeKit({
      models: { openai: [{ name: 'no-tools', capabilities: { toolCalling: false } }] },
      routes: [{ name: 'r', targets: [NO_TOOLS, GEMINI] }],
      handlers: { openai: () => openaiChatReply('plain') },
    });
    const none = await kit.llm.chat('x', { model: 'r', tools: [weatherTool([])], toolChoice: 'none' });
    expect(none.model).toBe(NO_TOOLS);
  });
});

describe('routes: tools stay on the target that answered the first round', () => {
  it('a failure after a tool ran ends the call: the tool is never run again on another target', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [OPENAI, GEMINI] }],
      handlers: {
        openai: (request) =>
          request.rawBody.includes('"role":"tool"')
            ? unavailable()
            : openaiToolCallReply([{ name: 'get_weather', arguments: { city: 'Oslo' } }]),
        gemini: () => geminiReply('never'),
      },
    });
    const runs: string[] = [];
    const error = await rejectionOf(kit.llm.chat('weather?', { model: 'r', tools: [weatherTool(runs)] }));
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(runs).toEqual(['Oslo']);
    expect(kit.requests('gemini')).toEqual([]);
    expect(error.details?.targets).toEqual([{ model: OPENAI, code: 'API_SERVER_ERROR' }]);
  });

  it('a fallback target runs the whole tool loop; every assistant turn names it', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [OPENAI, GEMINI] }],
      handlers: {
        openai: unavailable,
        gemini: (request) =>
          request.rawBody.includes('functionResponse')
            ? geminiReply('sunny')
            : geminiReply([{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }]),
      },
    });
    const runs: string[] = [];
    const outcome = await kit.llm.generate([{ role: 'user', content: 'weather?' }], {
      model: 'r',
      tools: [weatherTool(runs)],
    });
    expect(outcome.text).toBe('sunny');
    expect(outcome.toolResults?.map((r) => r.call.name)).toEqual(['get_weather']);
    expect(runs).toEqual(['Rome']);
    expect(kit.requests('gemini')).toHaveLength(2);
    expect(outcome.attempts.map((a) => a.model)).toEqual([OPENAI, OPENAI, OPENAI, OPENAI, GEMINI, GEMINI]);
  });
});
