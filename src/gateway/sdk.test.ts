import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  fakeEmbedding,
  openaiChatReply,
  openaiToolCallReply,
  type RecordedRequest,
  startFakeProvider,
  TINY_PNG_BASE64,
} from '../testing/index.js';
import { disposeGateway, type GatewayProcess, startGatewayProcess } from './test-support/gateway-process.js';

// The official SDKs, unchanged, against `switchboard serve` (the built CLI in a child process).

const run = promisify(execFile);
const KEYS = ['test-key-gw-sdk-openai-0001', 'test-key-gw-sdk-openai-0002', 'test-key-gw-sdk-images-0003'];
const TOKENS = {
  main: 'gw-test-token-main-5f1c2a9d',
  narrow: 'gw-test-token-narrow-77b3e0c1',
  limited: 'gw-test-token-limited-0a9e4d2b',
};
const BODY_LIMIT = 256 * 1024;

let fake: FakeProvider;
let gateway: GatewayProcess;
/** Every body the gateway answered (checked for secrets at the end). */
const seen: string[] = [];

function lastMessage(request: RecordedRequest): Record<string, unknown> {
  const messages = (request.body as { messages?: Record<string, unknown>[] } | undefined)?.messages ?? [];
  return messages[messages.length - 1] ?? {};
}

beforeAll(async () => {
  fake = await startFakeProvider({
    handler: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      if (request.model === 'broken-model')
        return { json: { error: { message: 'upstream exploded' } }, status: 500 };
      if (request.model === 'stalled-model') return { stall: true };
      if (body != null && Array.isArray(body.tools) && lastMessage(request).role === 'user') {
        return openaiToolCallReply([{ id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } }]);
      }
      if (body != null && lastMessage(request).role === 'tool') {
        return openaiChatReply(`It is ${String(lastMessage(request).content)} in Paris`);
      }
      if (body != null && (body.response_format as { type?: string } | undefined)?.type === 'json_schema') {
        return openaiChatReply('{"city":"Paris","tempC":21}');
      }
      return undefined;
    },
  });
  gateway = await startGatewayProcess({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: [KEYS[0], KEYS[1]],
        models: ['gpt-4o-mini', 'broken-model', { name: 'text-embedding-3-small', embedding: true }],
      },
      {
        name: 'Images',
        apiType: 'openai_image',
        apiBase: fake.openaiBase,
        apiKeys: [KEYS[2]],
        models: ['gpt-image-1'],
      },
      {
        name: 'Slow',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: [KEYS[0]],
        models: ['stalled-model'],
        timeoutMs: 1500,
      },
    ],
    retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    gateway: {
      bodyLimitBytes: BODY_LIMIT,
      tokens: [
        { name: 'main', token: TOKENS.main },
        { name: 'narrow', token: TOKENS.narrow, models: ['OpenAI/text-*'] },
        { name: 'limited', token: TOKENS.limited, rpm: 1 },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  const output = `${gateway?.stdout() ?? ''}${gateway?.stderr() ?? ''}${seen.join('\n')}`;
  await disposeGateway(gateway);
  await fake?.close();
  // Nothing the gateway printed or answered holds a provider key or a client token.
  for (const secret of [...KEYS, ...Object.values(TOKENS)]) expect(output).not.toContain(secret);
});

const client = (token: string = TOKENS.main) =>
  new OpenAI({ apiKey: token, baseURL: gateway.baseURL, maxRetries: 0, timeout: 30_000 });

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) {
      seen.push(JSON.stringify(error.error ?? null));
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('switchboard serve with the official openai SDK', { timeout: 60_000 }, () => {
  it('chat completions: text, usage, model, request id', async () => {
    const completion = await client().chat.completions.create({
      model: 'OpenAI/gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello gateway' },
      ],
      temperature: 0.2,
      max_tokens: 50,
    });
    seen.push(JSON.stringify(completion));
    expect(completion.choices[0]?.message.content).toBe('echo: hello gateway');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('OpenAI/gpt-4o-mini');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    const sent = fake.lastRequest?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 50 });
    expect(fake.lastRequest?.apiKey).toMatch(/^test-key-gw-sdk-openai-000[12]$/);
  });

  it('streams with include_usage: deltas in order, a usage chunk, then the end', async () => {
    const stream = await client().chat.completions.create({
      model: 'OpenAI/gpt-4o-mini',
      messages: [{ role: 'user', content: 'one two three four' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content != null) deltas.push(choice.delta.content);
      if (choice?.finish_reason != null) finish = choice.finish_reason;
      if (chunk.usage != null) usage = chunk.usage;
    }
    expect(deltas.join('')).toBe('echo: one two three four');
    expect(deltas.length).toBeGreaterThan(1);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(5);
  });

  it('tools round trip: the call comes back to the client, the result goes to the model', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client().chat.completions.create({ model: 'OpenAI/gpt-4o-mini', messages, tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'call_w1', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({
      city: 'Paris',
    });
    expect((fake.lastRequest!.body as { tools: unknown[] }).tools).toHaveLength(1);

    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: 'call_w1', content: '21°C' });
    const second = await client().chat.completions.create({ model: 'OpenAI/gpt-4o-mini', messages, tools });
    expect(second.choices[0]?.message.content).toBe('It is 21°C in Paris');
    const sent = (fake.lastRequest!.body as { messages: Record<string, unknown>[] }).messages;
    expect(sent.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_w1' }] });
    expect(sent.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_w1', content: '21°C' });
  });

  it('streams tool calls as tool_calls deltas with an index', async () => {
    const stream = await client().chat.completions.create({
      model: 'OpenAI/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      stream: true,
    });
    const calls: unknown[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(calls).toEqual([
      {
        index: 0,
        id: 'call_w1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(finish).toBe('tool_calls');
  });

  it('response_format json_schema reaches the provider as its native structured output', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, tempC: { type: 'number' } },
      required: ['city', 'tempC'],
      additionalProperties: false,
    };
    const completion = await client().chat.completions.create({
      model: 'OpenAI/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather as JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris', tempC: 21 });
    const format = (fake.lastRequest!.body as { response_format: Record<string, unknown> }).response_format;
    expect(format).toMatchObject({ type: 'json_schema', json_schema: { schema, strict: true } });
  });

  it('images in messages: data URLs become image parts', async () => {
    await client().chat.completions.create({
      model: 'OpenAI/gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG_BASE64}` } },
          ],
        },
      ],
    });
    const content = lastMessage(fake.lastRequest as RecordedRequest).content as Record<string, unknown>[];
    expect(content[1]).toMatchObject({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${TINY_PNG_BASE64}` },
    });
  });

  it('embeddings: the SDK default (base64) and float decode to the same vectors', async () => {
    const input = ['alpha', 'beta gamma'];
    const b64 = await client().embeddings.create({ model: 'OpenAI/text-embedding-3-small', input });
    const float = await client().embeddings.create({
      model: 'OpenAI/text-embedding-3-small',
      input,
      encoding_format: 'float',
    });
    const expected = input.map((text) => fakeEmbedding(text));
    expect(b64.data.map((item) => item.embedding)).toEqual(expected);
    expect(float.data.map((item) => item.embedding)).toEqual(expected);
    expect(float.data.map((item) => item.index)).toEqual([0, 1]);
  });

  it('images: b64_json', async () => {
    const images = await client().images.generate({
      model: 'Images/gpt-image-1',
      prompt: 'a lighthouse',
      n: 2,
    });
    expect(images.data?.map((image) => image.b64_json)).toEqual([TINY_PNG_BASE64, TINY_PNG_BASE64]);
  });

  it('models: what the token may use', async () => {
    const all = [];
    for await (const model of client().models.list()) all.push(model.id);
    expect(all).toEqual(
      expect.arrayContaining(['OpenAI/gpt-4o-mini', 'OpenAI/text-embedding-3-small', 'Images/gpt-image-1']),
    );
    const narrow = [];
    for await (const model of client(TOKENS.narrow).models.list()) narrow.push(model.id);
    expect(narrow).toEqual(['OpenAI/text-embedding-3-small']);
    expect((await client().models.retrieve('OpenAI/gpt-4o-mini')).id).toBe('OpenAI/gpt-4o-mini');
  });
});

describe('switchboard serve: errors as the openai SDK sees them', { timeout: 60_000 }, () => {
  const chat = (token: string, model = 'OpenAI/gpt-4o-mini', content = 'hi') =>
    client(token).chat.completions.create({ model, messages: [{ role: 'user', content }] });

  it('401 for an unknown token', async () => {
    const error = await failure(chat('gw-test-token-unknown-00000000'));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.code).toBe('invalid_api_key');
    expect(error.headers?.get('x-request-id')).toMatch(/.+/);
  });

  it('403 for a model outside the token’s globs', async () => {
    const error = await failure(chat(TOKENS.narrow));
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(error.param).toBe('model');
  });

  it('404 for an unknown model', async () => {
    const error = await failure(chat(TOKENS.main, 'OpenAI/no-such-model'));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
  });

  it('429 with retry-after over rpm', async () => {
    await chat(TOKENS.limited);
    const error = await failure(chat(TOKENS.limited));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('413 for a body over bodyLimitBytes', async () => {
    const error = await failure(chat(TOKENS.main, 'OpenAI/gpt-4o-mini', 'x'.repeat(BODY_LIMIT + 1000)));
    expect(error.status).toBe(413);
    expect(error.code).toBe('request_too_large');
  });

  it('502 when the upstream keeps failing', async () => {
    const error = await failure(chat(TOKENS.main, 'OpenAI/broken-model'));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_server_error');
  });

  it('504 when the upstream does not answer within the deadline', async () => {
    const error = await failure(chat(TOKENS.main, 'Slow/stalled-model'));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(504);
    expect(error.code).toBe('upstream_timeout');
  });

  it('400 with the field named for a bad request', async () => {
    const error = await failure(
      client().chat.completions.create({
        model: 'OpenAI/gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        n: 3,
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('n');
  });
});

describe('switchboard serve with the Vercel AI SDK (@ai-sdk/openai-compatible)', { timeout: 60_000 }, () => {
  const provider = () =>
    createOpenAICompatible({
      name: 'switchboard',
      baseURL: gateway.baseURL,
      apiKey: TOKENS.main,
      includeUsage: true,
    });

  it('generateText', async () => {
    const result = await generateText({
      model: provider()('OpenAI/gpt-4o-mini'),
      prompt: 'from vercel',
      maxRetries: 0,
    });
    expect(result.text).toBe('echo: from vercel');
    expect(result.usage.outputTokens).toBe(3);
  });

  it('streamText', async () => {
    const result = streamText({
      model: provider()('OpenAI/gpt-4o-mini'),
      prompt: 'streamed words here',
      maxRetries: 0,
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('echo: streamed words here');
    expect((await result.usage).outputTokens).toBe(4);
  });
});

describe('switchboard serve with curl', { timeout: 60_000 }, () => {
  it('JSON and a stream, with the request id echoed', async () => {
    const body = JSON.stringify({
      model: 'OpenAI/gpt-4o-mini',
      messages: [{ role: 'user', content: 'from curl' }],
    });
    const auth = `Authorization: Bearer ${TOKENS.main}`;
    const json = await run('curl', [
      '-sS',
      '-i',
      '-H',
      auth,
      '-H',
      'x-request-id: curl-req-42',
      '-d',
      body,
      `${gateway.baseURL}/chat/completions`,
    ]);
    seen.push(json.stdout);
    expect(json.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(json.stdout).toMatch(/x-request-id: curl-req-42/i);
    expect(json.stdout).toContain('"content":"echo: from curl"');

    const streamBody = JSON.stringify({ ...JSON.parse(body), stream: true });
    const sse = await run('curl', [
      '-sS',
      '-N',
      '-H',
      auth,
      '-d',
      streamBody,
      `${gateway.baseURL}/chat/completions`,
    ]);
    const frames = sse.stdout.split('\n\n').filter((frame) => frame.startsWith('data: '));
    expect(frames.at(-1)).toBe('data: [DONE]');
    const text = frames
      .slice(0, -1)
      .map((frame) => JSON.parse(frame.slice(6)) as { choices: { delta: { content?: string } }[] })
      .map((chunk) => chunk.choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('echo: from curl');

    const health = await run('curl', ['-sS', `${gateway.url}/health`]);
    expect(JSON.parse(health.stdout)).toEqual({ status: 'ok' });
  });
});
