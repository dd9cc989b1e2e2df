import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import { type FakeProvider, geminiErrorReply, openaiErrorReply, type Reply } from '../testing/index.js';
import {
  chatBodies,
  type DialectKit,
  dialectKits,
  type FakeClient,
  startFakeClient,
} from './test-support/dialect-kit.js';

let client: FakeClient;
let fake: FakeProvider;

beforeAll(async () => {
  client = await startFakeClient();
  fake = client.fake;
});

afterAll(async () => {
  await client.close();
});

beforeEach(() => {
  fake.clearRequests();
});

afterEach(() => {
  fake.setHandler(undefined);
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
});

type Json = Record<string, unknown>;

const person = z.object({ name: z.string(), age: z.number().int() });

async function caught(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(LLMError.isInstance(error)).toBe(true);
  return error as LLMError;
}

/** The schema a structured request sent (OpenAI `response_format.json_schema`, Gemini `responseJsonSchema`). */
function sentSchema(kit: DialectKit, body: Json | undefined): Json {
  const field = (value: unknown, key: string): Json => ((value as Json | undefined)?.[key] ?? {}) as Json;
  if (kit.name === 'openai') return field(field(field(body, 'response_format'), 'json_schema'), 'schema');
  return field(field(body, 'generationConfig'), 'responseJsonSchema');
}

/** Every text a request body carries (messages, or Gemini contents and system instruction), joined. */
function bodyText(body: Json | undefined): string {
  return JSON.stringify([body?.messages ?? body?.contents ?? [], body?.systemInstruction ?? null]);
}

function serverError(kit: DialectKit): Reply {
  return kit.name === 'openai'
    ? openaiErrorReply(503, { message: 'The server is overloaded.', type: 'server_error' })
    : geminiErrorReply(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
}

describe('native structured output: request shapes', () => {
  it('OpenAI: response_format json_schema, strict, for a strict-expressible schema', async () => {
    fake.enqueue(dialectKits[0]!.text('{"name":"Ada","age":36}'));
    const result = await client.llm.generateStructuredResult('Ada, 36', person);
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.strategy).toBe('native');
    expect(result.strict).toBe(true);
    expect(result.attempts).toBe(1);
    const body = chatBodies(fake)[0] as Json;
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'structured_response',
        strict: true,
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: expect.objectContaining({ type: 'integer' }) },
          required: ['name', 'age'],
          additionalProperties: false,
        },
      },
    });
  });

  it('OpenAI: non-strict when the schema has a z.record, and the record stays open', async () => {
    const tagged = z.object({ title: z.string(), tags: z.record(z.string(), z.number()) });
    fake.enqueue(dialectKits[0]!.text('{"title":"t","tags":{"a":1,"b":2}}'));
    const result = await client.llm.generateStructuredResult('tags', tagged);
    expect(result.value).toEqual({ title: 't', tags: { a: 1, b: 2 } });
    expect(result.strict).toBe(false);
    expect(result.warnings.join(' ')).toContain('without strict mode');
    const format = (chatBodies(fake)[0] as Json).response_format as { json_schema: Json };
    expect(format.json_schema.strict).toBe(false);
    const schema = format.json_schema.schema as { properties: { tags: Json } };
    expect(schema.properties.tags.additionalProperties).not.toBe(false);
    expect(schema.properties.tags.additionalProperties).toEqual({ type: 'number' });
  });

  it('Gemini: responseMimeType application/json + responseJsonSchema (records open)', async () => {
    const tagged = z.object({ title: z.string(), tags: z.record(z.string(), z.number()) });
    fake.enqueue(dialectKits[1]!.text('{"title":"t","tags":{"x":3}}'));
    const value = await client.llm.generateStructured('tags', tagged, { model: 'Gemini/gemini-2.0-flash' });
    expect(value).toEqual({ title: 't', tags: { x: 3 } });
    const config = (chatBodies(fake)[0] as Json).generationConfig as Json;
    expect(config.responseMimeType).toBe('application/json');
    const schema = config.responseJsonSchema as {
      type: string;
      properties: { tags: Json };
      required: string[];
    };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['title', 'tags']);
    expect(schema.properties.tags.type).toBe('object');
    expect(schema.properties.tags.additionalProperties).not.toBe(false);
    expect(JSON.stringify(schema)).not.toContain('$schema');
    expect(config.responseSchema).toBeUndefined();
  });
});

describe.each(dialectKits)('generateStructured through the client ($name)', (kit: DialectKit) => {
  const model = kit.model;

  it.each([
    ['a code fence', '```json\n{"name": "Ada", "age": 36}\n```'],
    ['prose around the JSON', 'Sure! Here is the person:\n{"name": "Ada", "age": 36}\nAnything else?'],
    ['trailing commas', '{"name": "Ada", "age": 36,}'],
    ['truncated JSON', '{"name": "Ada", "age": 36'],
  ])('repairs %s locally: one request', async (_label, answer) => {
    fake.enqueue(kit.text(answer));
    const result = await client.llm.generateStructuredResult('Ada is 36', person, { model });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.repaired).toBe(true);
    expect(result.attempts).toBe(1);
    expect(chatBodies(fake)).toHaveLength(1);
  });

  it('re-asks once when validation fails: the second request carries the first answer and the issue path', async () => {
    fake.enqueue(kit.text('{"name": "Ada", "age": "thirty-six"}'), kit.text('{"name": "Ada", "age": 36}'));
    const result = await client.llm.generateStructuredResult('Ada is 36', person, { model });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.attempts).toBe(2);
    const bodies = chatBodies(fake);
    expect(bodies).toHaveLength(2);
    const second = bodyText(bodies[1]);
    expect(second).toContain('thirty-six');
    expect(second).toMatch(/age: /);
    // The re-ask keeps the structured-output settings.
    expect(sentSchema(kit, bodies[1])).toEqual(sentSchema(kit, bodies[0]));
    if (kit.name === 'openai') {
      const messages = bodies[1]?.messages as Array<{ role: string; content: string }>;
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
      expect(messages[1]?.content).toBe('{"name": "Ada", "age": "thirty-six"}');
      expect(messages[2]?.content).toContain('- age:');
    } else {
      const contents = bodies[1]?.contents as Array<{ role: string; parts: Array<{ text?: string }> }>;
      expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
      expect(contents[1]?.parts[0]?.text).toBe('{"name": "Ada", "age": "thirty-six"}');
      expect(contents[2]?.parts[0]?.text).toContain('- age:');
    }
  });

  it('gives up after exactly 1 + maxValidationRetries requests with RESPONSE_PARSE_ERROR, lastAnswer and issues', async () => {
    fake.setHandler(() => kit.text('{"name": 7}'));
    const error = await caught(
      client.llm.generateStructured('who?', person, { model, maxValidationRetries: 2 }),
    );
    expect(error.code).toBe('RESPONSE_PARSE_ERROR');
    expect(chatBodies(fake)).toHaveLength(3);
    const details = error.details as { lastAnswer: string; issues: Array<{ path: string; message: string }> };
    expect(details.lastAnswer).toBe('{"name": 7}');
    expect(details.issues.map((issue) => issue.path).sort()).toEqual(['age', 'name']);
    expect(error.model).toBe(model);

    fake.clearRequests();
    const none = await caught(
      client.llm.generateStructured('who?', person, { model, maxValidationRetries: 0 }),
    );
    expect(none.code).toBe('RESPONSE_PARSE_ERROR');
    expect(chatBodies(fake)).toHaveLength(1);
  });

  it('uses the client-wide structuredRetries as the default budget', async () => {
    const strict = await startFakeClient({ structuredRetries: 1 });
    try {
      strict.fake.setHandler(() => kit.text('not json at all'));
      const error = await caught(strict.llm.generateStructured('x', person, { model }));
      expect(error.code).toBe('RESPONSE_PARSE_ERROR');
      expect(chatBodies(strict.fake)).toHaveLength(2);
    } finally {
      await strict.close();
    }
  });

  it('re-asks when validationCallback rejects a valid value', async () => {
    fake.enqueue(kit.text('{"name": "Ada", "age": 200}'), kit.text('{"name": "Ada", "age": 36}'));
    const seen: number[] = [];
    const value = await client.llm.generateStructured('Ada', person, {
      model,
      validationCallback: (candidate) => {
        seen.push(candidate.age);
        if (candidate.age > 150) throw new Error('age 200 is not plausible for a person');
      },
    });
    expect(value).toEqual({ name: 'Ada', age: 36 });
    expect(seen).toEqual([200, 36]);
    const bodies = chatBodies(fake);
    expect(bodies).toHaveLength(2);
    expect(bodyText(bodies[1])).toContain('age 200 is not plausible for a person');
  });

  it('does not spend the validation budget on a 503: 503 → bad → good succeeds with maxValidationRetries 1', async () => {
    fake.enqueue(serverError(kit), kit.text('{"name": "Ada"}'), kit.text('{"name": "Ada", "age": 36}'));
    const result = await client.llm.generateStructuredResult('Ada', person, {
      model,
      maxValidationRetries: 1,
    });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.attempts).toBe(2);
    expect(chatBodies(fake)).toHaveLength(3);
    // The response carries every HTTP attempt of the call (the 503 and both answers), like its usage.
    expect(result.response.attempts.map((attempt) => attempt.code ?? attempt.status)).toEqual([
      'API_SERVER_ERROR',
      200,
      200,
    ]);
  });

  it('AutoCoT on a non-reasoning model: sends { reasoning, result } and returns result', async () => {
    fake.enqueue(
      kit.text(
        JSON.stringify({ reasoning: 'The text says Ada is 36 years old.', result: { name: 'Ada', age: 36 } }),
      ),
    );
    const result = await client.llm.generateStructuredResult('Ada is 36', person, {
      model,
      autoThinking: true,
    });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.reasoning).toBe('The text says Ada is 36 years old.');
    const body = chatBodies(fake)[0];
    const schema = sentSchema(kit, body) as { properties: Json; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['reasoning', 'result']);
    expect(schema.required).toEqual(['reasoning', 'result']);
    expect((schema.properties.result as Json).properties).toEqual(
      expect.objectContaining({ name: expect.anything(), age: expect.anything() }),
    );
    expect(bodyText(body)).toContain('`reasoning` field');
  });

  it('AutoCoT is off by default: the schema is sent as is', async () => {
    fake.enqueue(kit.text('{"name": "Ada", "age": 36}'));
    await client.llm.generateStructured('Ada is 36', person, { model });
    const schema = sentSchema(kit, chatBodies(fake)[0]) as { properties: Json };
    expect(Object.keys(schema.properties)).toEqual(['name', 'age']);
    expect(bodyText(chatBodies(fake)[0])).not.toContain('reasoning');
  });

  it('returns optional fields absent (not null) after a strict round trip', async () => {
    const profile = z.object({
      name: z.string(),
      nickname: z.string().optional(),
      address: z.object({ city: z.string(), zip: z.string().optional() }),
      pets: z.array(z.object({ kind: z.enum(['cat', 'dog']), name: z.string().optional() })),
    });
    // A strict OpenAI answer fills optional fields with null; Gemini simply leaves them out.
    const answer =
      kit.name === 'openai'
        ? '{"name":"Ada","nickname":null,"address":{"city":"London","zip":null},"pets":[{"kind":"cat","name":null}]}'
        : '{"name":"Ada","address":{"city":"London"},"pets":[{"kind":"cat"}]}';
    fake.enqueue(kit.text(answer));
    const result = await client.llm.generateStructuredResult('Ada', profile, { model });
    expect(result.value).toEqual({ name: 'Ada', address: { city: 'London' }, pets: [{ kind: 'cat' }] });
    expect('nickname' in result.value).toBe(false);
    expect('zip' in result.value.address).toBe(false);
    expect('name' in (result.value.pets[0] ?? {})).toBe(false);
    expect(result.attempts).toBe(1);
    if (kit.name === 'openai') {
      expect(result.strict).toBe(true);
      const schema = sentSchema(kit, chatBodies(fake)[0]) as {
        required: string[];
        properties: { nickname: Json };
      };
      expect(schema.required).toEqual(['name', 'nickname', 'address', 'pets']);
      expect(JSON.stringify(schema.properties.nickname)).toContain('null');
    } else {
      const schema = sentSchema(kit, chatBodies(fake)[0]) as { required: string[] };
      expect(schema.required).toEqual(['name', 'address', 'pets']);
    }
  });

  it('keeps record fields open: additionalProperties is never false on a record, and keys of any name pass', async () => {
    const scored = z.object({ name: z.string(), scores: z.record(z.string(), z.number()) });
    fake.enqueue(kit.text('{"name":"Ada","scores":{"math":9,"any key at all":7}}'));
    const value = await client.llm.generateStructured('Ada', scored, { model });
    expect(value).toEqual({ name: 'Ada', scores: { math: 9, 'any key at all': 7 } });
    const schema = sentSchema(kit, chatBodies(fake)[0]) as { properties: { scores: Json } };
    expect(schema.properties.scores.type).toBe('object');
    expect(schema.properties.scores.additionalProperties).not.toBe(false);
    expect(schema.properties.scores.additionalProperties).toEqual({ type: 'number' });
  });

  it('tool_call strategy: one forced tool, the value is the call’s arguments', async () => {
    fake.enqueue(
      kit.toolCalls([{ name: 'return_structured_response', args: { name: 'Ada', age: 36 }, id: 'call_s' }]),
    );
    const result = await client.llm.generateStructuredResult('Ada is 36', person, {
      model,
      strategy: 'tool_call',
    });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.strategy).toBe('tool_call');
    const body = chatBodies(fake)[0] as Json;
    const tools = kit.declaredTools(body);
    expect(tools.map((tool) => tool.name)).toEqual(['return_structured_response']);
    if (kit.name === 'openai') {
      expect(body.tool_choice).toEqual({
        type: 'function',
        function: { name: 'return_structured_response' },
      });
      expect(body.response_format).toBeUndefined();
    } else {
      expect(body.toolConfig).toEqual({
        functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['return_structured_response'] },
      });
      expect((body.generationConfig as Json | undefined)?.responseJsonSchema).toBeUndefined();
    }
  });

  it('tool_call strategy: bad arguments are re-asked through a tool result', async () => {
    fake.enqueue(
      kit.toolCalls([
        { name: 'return_structured_response', args: { name: 'Ada', age: 'old' }, id: 'call_1' },
      ]),
      kit.toolCalls([{ name: 'return_structured_response', args: { name: 'Ada', age: 36 }, id: 'call_2' }]),
    );
    const value = await client.llm.generateStructured('Ada', person, { model, strategy: 'tool_call' });
    expect(value).toEqual({ name: 'Ada', age: 36 });
    const second = chatBodies(fake)[1];
    const results = kit.toolResults(second);
    expect(results).toHaveLength(1);
    expect(JSON.stringify(results[0]?.content)).toContain('age');
    expect(kit.replayedCalls(second)[0]).toMatchObject({ name: 'return_structured_response' });
  });

  it('streamStructured yields partial values, then the validated value', async () => {
    fake.enqueue(kit.textStream(['{"name": "A', 'da", "ag', 'e": 36}']));
    const stream = client.llm.streamStructured('Ada is 36', person, { model });
    const partials: unknown[] = [];
    for await (const event of stream) {
      if (event.type === 'partial') partials.push(event.partial);
    }
    expect(partials.length).toBeGreaterThanOrEqual(2);
    expect(partials[0]).toEqual({ name: 'A' });
    expect(partials.at(-1)).toEqual({ name: 'Ada', age: 36 });
    expect(await stream.value).toEqual({ name: 'Ada', age: 36 });
    const request = fake.requests[0];
    expect(request?.path).toContain(kit.name === 'openai' ? 'chat/completions' : ':streamGenerateContent');
  });

  it('streamStructured with AutoCoT: partials are the result part, reasoning rides along', async () => {
    fake.enqueue(
      kit.textStream([
        '{"reasoning": "Ada is said',
        ' to be 36.", "result": {"name": "A',
        'da", "age": 36}}',
      ]),
    );
    const stream = client.llm.streamStructured('Ada is 36', person, { model, autoThinking: true });
    const partials: Array<{ partial: unknown; reasoning?: string }> = [];
    for await (const event of stream) if (event.type === 'partial') partials.push(event);
    expect(partials.map((event) => event.partial)).toEqual([{ name: 'A' }, { name: 'Ada', age: 36 }]);
    expect(partials.at(-1)?.reasoning).toBe('Ada is said to be 36.');
    const result = await stream.result;
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.reasoning).toBe('Ada is said to be 36.');
  });

  it('streamStructured with the tool_call strategy: one partial from the streamed call, then the value', async () => {
    fake.enqueue(
      kit.toolCallStream([{ name: 'return_structured_response', args: { name: 'Ada', age: 36 } }]),
    );
    const stream = client.llm.streamStructured('Ada is 36', person, { model, strategy: 'tool_call' });
    const partials: unknown[] = [];
    for await (const event of stream) if (event.type === 'partial') partials.push(event.partial);
    expect(partials).toEqual([{ name: 'Ada', age: 36 }]);
    expect(await stream.value).toEqual({ name: 'Ada', age: 36 });
    expect(kit.declaredTools(chatBodies(fake)[0]).map((tool) => tool.name)).toEqual([
      'return_structured_response',
    ]);
  });

  it('streamStructured fails like generateStructured: RESPONSE_PARSE_ERROR from the iterator and from value', async () => {
    fake.setHandler(() => kit.textStream(['{"name": ', '5}']));
    const stream = client.llm.streamStructured('x', person, { model, maxValidationRetries: 1 });
    const iterated = await caught(
      (async () => {
        for await (const _event of stream) {
          // drain
        }
      })(),
    );
    expect(iterated.code).toBe('RESPONSE_PARSE_ERROR');
    expect((await caught(stream.value)).code).toBe('RESPONSE_PARSE_ERROR');
    expect(chatBodies(fake)).toHaveLength(2);
  });

  it('streamStructured restarts on a bad answer and resolves with the re-asked value', async () => {
    fake.enqueue(
      kit.textStream(['{"name": "Ada", ', '"age": "old"}']),
      kit.textStream(['{"name": "Ada", ', '"age": 36}']),
    );
    const stream = client.llm.streamStructured('Ada', person, { model });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toContain('restart');
    expect(types.indexOf('restart')).toBeGreaterThan(0);
    expect(types.at(-1)).toBe('partial');
    const result = await stream.result;
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.attempts).toBe(2);
  });
});

describe('AutoCoT never applies to a reasoning model', () => {
  it('gpt-5-nano with autoThinking: true sends the plain schema', async () => {
    fake.enqueue(dialectKits[0]!.text('{"name": "Ada", "age": 36}'));
    const result = await client.llm.generateStructuredResult('Ada', person, {
      model: 'OpenAI/gpt-5-nano',
      autoThinking: true,
    });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(Object.keys(sentSchema(dialectKits[0]!, chatBodies(fake)[0]).properties as Json)).toEqual([
      'name',
      'age',
    ]);
  });

  it('gemini-2.5-flash with autoThinking: true sends the plain schema', async () => {
    fake.enqueue(dialectKits[1]!.text('{"name": "Ada", "age": 36}'));
    const result = await client.llm.generateStructuredResult('Ada', person, {
      model: 'Gemini/gemini-2.5-flash',
      autoThinking: true,
    });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.reasoning).toBeUndefined();
    const config = (chatBodies(fake)[0] as Json).generationConfig as Json;
    expect(Object.keys((config.responseJsonSchema as { properties: Json }).properties)).toEqual([
      'name',
      'age',
    ]);
  });
});

describe('prompt strategy for DeepSeek', () => {
  it('switches JSON mode on and puts the schema in the system prompt', async () => {
    fake.enqueue(dialectKits[0]!.text('{"name": "Ada", "age": 36}'));
    const result = await client.llm.generateStructuredResult('Ada is 36', person, {
      model: 'DeepSeek/deepseek-chat',
    });
    expect(result.value).toEqual({ name: 'Ada', age: 36 });
    expect(result.strategy).toBe('prompt');
    expect(result.jsonMode).toBe(true);
    const request = fake.requests[0];
    expect(request?.apiKey).toBe('test-key-5');
    const body = request?.body as {
      response_format: unknown;
      messages: Array<{ role: string; content: string }>;
    };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages[0]?.content).toContain('JSON Schema');
    expect(body.messages[0]?.content).toContain('"age"');
    expect(body.messages[1]).toEqual({ role: 'user', content: 'Ada is 36' });
  });
});

describe('OpenAI structured-output recordings replayed through the client', () => {
  it('chat-json-schema.exchange.json: a person named John, 30', async () => {
    fake.enqueue({ fixture: 'openai/chat-json-schema.exchange.json' });
    const result = await client.llm.generateStructuredResult(
      'Generate a person named John who is 30 years old',
      person,
      { model: 'OpenAI/gpt-5-nano', schemaName: 'response' },
    );
    expect(result.value).toEqual({ name: 'John', age: 30 });
    expect(result.usage).toMatchObject({ promptTokens: 49, completionTokens: 533, reasoningTokens: 512 });
    // What we sent matches what the recording sent.
    const recorded = {
      type: 'json_schema',
      json_schema: {
        name: 'response',
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'integer' } },
          required: ['name', 'age'],
          additionalProperties: false,
        },
        strict: true,
      },
    };
    const sent = (chatBodies(fake)[0] as Json).response_format as {
      json_schema: { schema: { properties: Json } };
    };
    expect(sent.json_schema.schema.properties.name).toEqual({ type: 'string' });
    expect((sent.json_schema.schema.properties.age as Json).type).toBe('integer');
    expect({ ...sent, json_schema: { ...sent.json_schema, schema: recorded.json_schema.schema } }).toEqual(
      recorded,
    );
  });

  it('chat-structured-output.json: a city and units', async () => {
    fake.enqueue({ fixture: 'openai/chat-structured-output.json' });
    const location = z.object({ city: z.string(), units: z.enum(['c', 'f']).optional() });
    const value = await client.llm.generateStructured('What is the weather in SF?', location, {
      model: 'OpenAI/gpt-4o-mini',
    });
    expect(value).toEqual({ city: 'San Francisco', units: 'c' });
  });
});
