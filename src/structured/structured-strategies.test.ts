import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateStructured } from './generate-structured.js';
import type { StructuredModelCall } from './structured-types.js';
import { fakeRunner, testModel } from './test-support/fake-runner.js';

const user = [{ role: 'user' as const, content: 'Extract the order: 2 apples' }];
const Order = z.object({ item: z.string(), qty: z.number() });

/** The verbatim `response_format` object of a request. */
function formatOf(request: StructuredModelCall | undefined): {
  json_schema: { schema: any; strict: boolean };
} {
  const format = request?.config.output?.responseFormat;
  expect(format).toMatchObject({ type: 'json_schema' });
  return format as { json_schema: { schema: any; strict: boolean } };
}

describe('strategy choice and request settings', () => {
  it('native, OpenAI family, strict: json_schema passed verbatim with strict: true and no schema in the prompt', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), ['{"item":"apple","qty":2}']);
    const result = await generateStructured(runner, user, Order);
    expect(result).toMatchObject({
      value: { item: 'apple', qty: 2 },
      strategy: 'native',
      strict: true,
      attempts: 1,
    });
    const [request] = requests;
    expect(request?.config.output).toEqual({
      structuredOutputStrategy: 'native',
      responseFormat: {
        type: 'json_schema',
        json_schema: {
          name: 'structured_response',
          strict: true,
          schema: {
            type: 'object',
            properties: { item: { type: 'string' }, qty: { type: 'number' } },
            required: ['item', 'qty'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(request?.messages).toEqual(user);
    expect(request?.tools).toBeUndefined();
  });

  it('native, OpenAI family, a record field: sent non-strict, the map stays open (no additionalProperties: false)', async () => {
    const Scores = z.object({ scores: z.record(z.string(), z.number()) });
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), ['{"scores":{"ann":3,"bob":5}}']);
    const result = await generateStructured(runner, user, Scores);
    expect(result.value).toEqual({ scores: { ann: 3, bob: 5 } });
    expect(result.strict).toBe(false);
    expect(result.warnings[0]).toMatch(/without strict mode/);
    const format = formatOf(requests[0]);
    expect(format.json_schema.strict).toBe(false);
    expect(format.json_schema.schema.properties.scores).toEqual({
      type: 'object',
      propertyNames: { type: 'string' },
      additionalProperties: { type: 'number' },
    });
    expect(JSON.stringify(format.json_schema.schema)).not.toContain('"additionalProperties":false');
  });

  it('native strict round trip: optional fields are required-and-nullable on the wire and absent in the value', async () => {
    const Person = z.object({
      name: z.string(),
      nickname: z.string().optional(),
      tags: z.array(z.object({ k: z.string(), note: z.string().optional() })),
    });
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), [
      '{"name":"Ann","nickname":null,"tags":[{"k":"a","note":null},{"k":"b","note":"x"}]}',
    ]);
    const { value } = await generateStructured(runner, user, Person);
    expect(value).toEqual({ name: 'Ann', tags: [{ k: 'a' }, { k: 'b', note: 'x' }] });
    expect(Object.hasOwn(value, 'nickname')).toBe(false);
    const schema = formatOf(requests[0]).json_schema.schema;
    expect(schema.required).toEqual(['name', 'nickname', 'tags']);
    expect(schema.properties.nickname).toEqual({ type: ['string', 'null'] });
  });

  it('native on a non-object schema wraps it as { value } on the wire and unwraps the answer', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), ['{"value":[1,2,3]}']);
    const result = await generateStructured(runner, user, z.array(z.number()));
    expect(result.value).toEqual([1, 2, 3]);
    const format = formatOf(requests[0]);
    expect(format.json_schema.schema).toMatchObject({ type: 'object', required: ['value'] });
    expect(format.json_schema.strict).toBe(true);
  });

  it('native, Gemini dialect: responseMimeType + responseSchema (the JSON Schema, maps open)', async () => {
    const Schema = z.object({ city: z.string(), meta: z.record(z.string(), z.string()) });
    const { runner, requests } = fakeRunner(testModel('gemini-2.0-flash', 'gemini'), [
      '{"city":"Paris","meta":{}}',
    ]);
    const result = await generateStructured(runner, user, Schema, { schemaName: 'ignored_here' });
    expect(result.strategy).toBe('native');
    expect(requests[0]?.config.output).toEqual({
      structuredOutputStrategy: 'native',
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          meta: {
            type: 'object',
            propertyNames: { type: 'string' },
            additionalProperties: { type: 'string' },
          },
        },
        required: ['city', 'meta'],
      },
    });
  });

  it('native, Anthropic dialect: responseSchema (object root; non-object roots wrapped as { value })', async () => {
    const { runner, requests } = fakeRunner(testModel('claude-haiku-4-5', 'anthropic'), [
      '{"item":"apple","qty":2}',
    ]);
    const result = await generateStructured(runner, user, Order);
    expect(result).toMatchObject({ strategy: 'native', value: { item: 'apple', qty: 2 } });
    expect(requests[0]?.config.output).toEqual({
      structuredOutputStrategy: 'native',
      responseSchema: {
        type: 'object',
        properties: { item: { type: 'string' }, qty: { type: 'number' } },
        required: ['item', 'qty'],
      },
    });
    const list = fakeRunner(testModel('claude-haiku-4-5', 'anthropic'), ['{"value":[1,2]}']);
    expect((await generateStructured(list.runner, user, z.array(z.number()))).value).toEqual([1, 2]);
    expect(list.requests[0]?.config.output?.responseSchema).toMatchObject({ required: ['value'] });
  });

  it('Anthropic without native output, or with maps in the schema: a forced tool call', async () => {
    const answer = { toolCall: { name: 'return_structured_response', raw: '{"item":"pear","qty":3}' } };
    const old = fakeRunner(testModel('claude-3-5-haiku-20241022', 'anthropic'), [answer]);
    expect(await generateStructured(old.runner, user, Order)).toMatchObject({
      strategy: 'tool_call',
      value: { qty: 3 },
    });
    expect(old.requests[0]?.toolChoice).toEqual({ name: 'return_structured_response' });
    const Scores = z.object({ scores: z.record(z.string(), z.number()) });
    const maps = fakeRunner(testModel('claude-haiku-4-5', 'anthropic'), [
      { toolCall: { name: 'return_structured_response', raw: '{"scores":{"ann":3}}' } },
    ]);
    expect(await generateStructured(maps.runner, user, Scores)).toMatchObject({
      strategy: 'tool_call',
      value: { scores: { ann: 3 } },
    });
    // Even an explicit `native` is declined for open maps (they would always come back empty), with a warning.
    const forced = fakeRunner(testModel('claude-haiku-4-5', 'anthropic'), [
      { toolCall: { name: 'return_structured_response', raw: '{"scores":{"bo":1}}' } },
    ]);
    const declined = await generateStructured(forced.runner, user, Scores, { strategy: 'native' });
    expect(declined).toMatchObject({ strategy: 'tool_call', value: { scores: { bo: 1 } } });
    expect(declined.warnings.join('\n')).toMatch(/no native structured output.*sent with strategy tool_call/);
  });

  it('JSON mode without schema support (DeepSeek): prompt strategy, responseFormat json, schema in the system prompt', async () => {
    const { runner, requests } = fakeRunner(testModel('deepseek-chat', 'deepseek'), [
      '{"item":"apple","qty":2}',
    ]);
    const result = await generateStructured(runner, user, Order, { instruction: 'You extract orders.' });
    expect(result).toMatchObject({ strategy: 'prompt', jsonMode: true });
    const request = requests[0];
    expect(request?.config.output).toEqual({ responseFormat: 'json' });
    const system = request?.messages[0];
    expect(system?.role).toBe('system');
    expect(system?.content).toMatch(
      /^You extract orders\.\n\nRespond strictly in the format of the following JSON Schema/,
    );
    expect(system?.content).toContain('"qty": {\n');
    expect(request?.messages[1]).toEqual(user[0]);
  });

  it('prompt strategy with JSON mode on ark (json_object is documented by Volcano Ark)', async () => {
    const { runner, requests } = fakeRunner(testModel('doubao-1-5-pro', 'ark'), ['{"item":"apple","qty":2}']);
    const result = await generateStructured(runner, user, Order);
    expect(result).toMatchObject({ strategy: 'prompt', jsonMode: true });
    expect(requests[0]?.config.output).toEqual({ responseFormat: 'json' });
  });

  it('prompt strategy without JSON mode on other dialects; the instruction joins an existing system message', async () => {
    const { runner, requests } = fakeRunner(testModel('glm-4-plus', 'openrouter'), [
      '{"item":"apple","qty":2}',
    ]);
    const messages = [{ role: 'system' as const, content: 'Be terse.' }, ...user];
    const result = await generateStructured(runner, messages, Order);
    expect(result).toMatchObject({ strategy: 'prompt', jsonMode: false });
    expect(requests[0]?.config.output).toEqual({ structuredOutputStrategy: 'prompt' });
    expect(requests[0]?.messages).toHaveLength(2);
    expect(requests[0]?.messages[0]?.content).toMatch(/^Be terse\.\n\nRespond strictly/);
    expect(messages[0]?.content).toBe('Be terse.');
  });

  it('jsonMode overrides the dialect default for the prompt strategy', async () => {
    const { runner, requests } = fakeRunner(testModel('glm-4-plus', 'openai'), ['{"item":"a","qty":1}']);
    const result = await generateStructured(runner, user, Order, { strategy: 'prompt', jsonMode: true });
    expect(result.jsonMode).toBe(true);
    expect(requests[0]?.config.output).toEqual({ responseFormat: 'json' });
    const off = fakeRunner(testModel('deepseek-chat', 'deepseek'), ['{"item":"a","qty":1}']);
    await generateStructured(off.runner, user, Order, { jsonMode: false });
    expect(off.requests[0]?.config.output).toEqual({ structuredOutputStrategy: 'prompt' });
  });

  it('tool_call: one forced tool whose parameters are the schema; the value is the call arguments', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), [
      { toolCall: { name: 'return_structured_response', raw: '{"item":"pear","qty":"3"}' } },
    ]);
    const result = await generateStructured(
      runner,
      user,
      z.object({ item: z.string(), qty: z.coerce.number() }),
      {
        strategy: 'tool_call',
      },
    );
    expect(result.value).toEqual({ item: 'pear', qty: 3 });
    const request = requests[0];
    expect(request?.tools).toEqual([
      {
        name: 'return_structured_response',
        description: 'Submit the structured response.',
        parameters: {
          type: 'object',
          properties: { item: { type: 'string' }, qty: { type: 'number' } },
          required: ['item', 'qty'],
        },
      },
    ]);
    expect(request?.toolChoice).toEqual({ name: 'return_structured_response' });
    expect(request?.config.output).toEqual({ structuredOutputStrategy: 'tool_call' });
    expect(request?.messages[0]?.content).toMatch(/Call the provided tool `return_structured_response`/);
  });

  it('the strategy comes from config.output.structuredOutputStrategy; caller format settings are replaced with a warning', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), ['{"item":"a","qty":1}']);
    const config = {
      core: { temperature: 0.1 },
      output: {
        structuredOutputStrategy: 'prompt' as const,
        responseFormat: 'text' as const,
        responseModalities: ['TEXT' as const],
      },
    };
    const result = await generateStructured(runner, user, Order, { config });
    expect(result.strategy).toBe('prompt');
    expect(requests[0]?.config).toEqual({
      core: { temperature: 0.1 },
      output: { responseModalities: ['TEXT'], structuredOutputStrategy: 'prompt' },
    });
    expect(result.warnings).toContain(
      'config.output.responseFormat replaced by the structured-output settings',
    );
    expect(config.output.responseFormat).toBe('text');
  });

  it('rejects bad options before any request', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), []);
    await expect(generateStructured(runner, user, Order, { maxValidationRetries: -1 })).rejects.toMatchObject(
      {
        code: 'INVALID_PARAMETER',
        details: { path: 'maxValidationRetries' },
      },
    );
    await expect(generateStructured(runner, user, { type: 'object' } as never)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      details: { path: 'schema' },
    });
    await expect(
      generateStructured(runner, user, Order, { strategy: 'magic' as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
    expect(requests).toHaveLength(0);
  });
});
