import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import { generateStructured } from './generate-structured.js';
import { fakeRunner, serverError, testModel } from './test-support/fake-runner.js';

const user = [{ role: 'user' as const, content: 'List the order' }];
const Order = z.object({ items: z.array(z.object({ name: z.string(), qty: z.number() })) });
const GOOD = '{"items":[{"name":"apple","qty":2}]}';
const deepseek = () => testModel('deepseek-chat', 'deepseek');

function errorOf(promise: Promise<unknown>): Promise<LLMError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => {
      if (LLMError.isInstance(error)) return error;
      throw error;
    },
  );
}

describe('generateStructured: local repair costs no request', () => {
  it.each([
    ['code fence', `\`\`\`json\n${GOOD}\n\`\`\``],
    ['prose around the JSON', `Sure! Here is the order:\n${GOOD}\nLet me know if you need more.`],
    ['trailing commas', '{"items":[{"name":"apple","qty":2,},],}'],
    ['single quotes and comments', "{'items': [{'name': 'apple', /* two */ 'qty': 2}]} // done"],
    ['truncated output', '{"items":[{"name":"apple","qty":2}'],
    ['prose, then a fenced, truncated answer', 'Result:\n```json\n{"items": [{"name": "apple", "qty": 2'],
  ])('%s → one request', async (_label, answer) => {
    const { runner, requests } = fakeRunner(deepseek(), [answer]);
    const result = await generateStructured(runner, user, Order);
    expect(result.value).toEqual({ items: [{ name: 'apple', qty: 2 }] });
    expect(result.repaired).toBe(true);
    expect(result.attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('a clean answer is not marked repaired; the schema coercions and transforms apply', async () => {
    const Schema = z.object({ when: z.coerce.date(), name: z.string().transform((s) => s.toUpperCase()) });
    const { runner } = fakeRunner(deepseek(), ['{"when":"2024-01-02T00:00:00Z","name":"ann"}']);
    const result = await generateStructured(runner, user, Schema);
    expect(result.repaired).toBe(false);
    expect(result.value.name).toBe('ANN');
    expect(result.value.when).toEqual(new Date('2024-01-02T00:00:00Z'));
  });
});

describe('generateStructured: re-ask', () => {
  it('a failed validation costs a second request carrying the answer and the issue by path', async () => {
    const bad = '{"items":[{"name":"apple","qty":"two"}]}';
    const { runner, requests } = fakeRunner(deepseek(), [bad, GOOD]);
    const result = await generateStructured(runner, user, Order);
    expect(result.value).toEqual({ items: [{ name: 'apple', qty: 2 }] });
    expect(result.attempts).toBe(2);
    expect(requests).toHaveLength(2);
    const second = requests[1]?.messages ?? [];
    expect(second.slice(0, 2)).toEqual(requests[0]?.messages);
    expect(second[2]).toEqual({ role: 'assistant', content: bad, model: 'Test/model' });
    expect(second[3]?.role).toBe('user');
    expect(second[3]?.content).toContain('- items[0].qty: Invalid input: expected number, received string');
    expect(second[3]?.content).toMatch(/^Your response did not pass schema validation\./);
    expect(second[3]?.content).toMatch(/Output only the corrected JSON/);
  });

  it('an answer that is not JSON at all is re-asked too', async () => {
    const { runner, requests } = fakeRunner(deepseek(), ['I cannot do that.', GOOD]);
    const result = await generateStructured(runner, user, Order);
    expect(result.attempts).toBe(2);
    expect(requests[1]?.messages.at(-1)?.content).toContain('- (root): The answer is not valid JSON');
  });

  it('exhaustion after exactly 1 + N requests throws RESPONSE_PARSE_ERROR with the last answer and issues', async () => {
    const answers = ['{"items":"none"}', '{"items":[{"name":1}]}', '{"items":[{"name":"a"}]}', GOOD];
    const { runner, requests } = fakeRunner(deepseek(), answers);
    const error = await errorOf(generateStructured(runner, user, Order, { maxValidationRetries: 2 }));
    expect(requests).toHaveLength(3);
    expect(error.code).toBe('RESPONSE_PARSE_ERROR');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({
      lastAnswer: '{"items":[{"name":"a"}]}',
      issues: [{ path: 'items[0].qty', message: 'Invalid input: expected number, received undefined' }],
      attempts: 3,
    });
    expect(error.attempts).toHaveLength(3);
    expect(error.message).toMatch(/after 3 request\(s\): items\[0\]\.qty/);
  });

  it('maxValidationRetries 0 → one request only', async () => {
    const { runner, requests } = fakeRunner(deepseek(), ['{}', GOOD]);
    const error = await errorOf(generateStructured(runner, user, Order, { maxValidationRetries: 0 }));
    expect(error.details?.attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('validationCallback may reject a parsed value; its message becomes the issue', async () => {
    const seen: unknown[] = [];
    const { runner, requests } = fakeRunner(deepseek(), ['{"items":[]}', GOOD]);
    const result = await generateStructured(runner, user, Order, {
      validationCallback: async (value) => {
        seen.push(value);
        if (value.items.length === 0) throw new Error('at least one item is required');
      },
    });
    expect(result.value.items).toHaveLength(1);
    expect(seen).toEqual([{ items: [] }, { items: [{ name: 'apple', qty: 2 }] }]);
    expect(requests[1]?.messages.at(-1)?.content).toContain('- (root): at least one item is required');
  });

  it('a thrown transport error propagates at once and spends no validation budget (no retry by the engine)', async () => {
    const { runner, requests } = fakeRunner(deepseek(), [serverError(), GOOD]);
    const error = await errorOf(generateStructured(runner, user, Order, { maxValidationRetries: 2 }));
    expect(error.code).toBe('API_SERVER_ERROR');
    expect(requests).toHaveLength(1);
    // The next call (the pipeline's business to retry) succeeds on its first request: no budget was consumed.
    const again = await generateStructured(runner, user, Order, { maxValidationRetries: 0 });
    expect(again.attempts).toBe(1);
  });

  it('a transport error after a failed answer also propagates unchanged', async () => {
    const { runner, requests } = fakeRunner(deepseek(), ['{}', new LLMError('CONTENT_FILTERED', 'blocked')]);
    const error = await errorOf(generateStructured(runner, user, Order));
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(requests).toHaveLength(2);
  });

  it('an aborted signal stops before the next request', async () => {
    const controller = new AbortController();
    const { runner, requests } = fakeRunner(deepseek(), [GOOD, GOOD]);
    const error = await errorOf(
      generateStructured(runner, user, Order, {
        signal: controller.signal,
        validationCallback: () => {
          controller.abort();
          throw new Error('rejected');
        },
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(requests).toHaveLength(1);
  });

  it('a custom template gets {error} and {error_msg} substituted; other braces stay', async () => {
    const template =
      'Invalid: {error}\nSeed style: {error_msg}\nShape: {"items": [{"name": "…"}]} {0} {unknown}';
    const { runner, requests } = fakeRunner(deepseek(), ['{"items":5}', GOOD]);
    await generateStructured(runner, user, Order, { errorPromptTemplate: template });
    const issue = '- items: Invalid input: expected array, received number';
    expect(requests[1]?.messages.at(-1)?.content).toBe(
      `Invalid: ${issue}\nSeed style: ${issue}\nShape: {"items": [{"name": "…"}]} {0} {unknown}`,
    );
  });

  it('the Chinese template keeps the seed meaning', async () => {
    const { runner, requests } = fakeRunner(deepseek(), ['{"items":5}', GOOD]);
    await generateStructured(runner, user, Order, { errorPromptLocale: 'zh' });
    const text = requests[1]?.messages.at(-1)?.content as string;
    expect(text).toMatch(/^你的响应未能通过结构校验。\n错误详情:\n- items: /);
    expect(text).toContain('1. 反思');
    expect(text).toContain('2. 修正');
    expect(text).toContain('请直接输出修正后的 JSON');
  });

  it('a truncated answer that cannot be validated says so in the issues', async () => {
    const { runner, requests } = fakeRunner(deepseek(), [
      { text: '{"items":[{"name":"app', finishReason: 'length' },
      GOOD,
    ]);
    await generateStructured(runner, user, Order);
    expect(requests[1]?.messages.at(-1)?.content).toContain('cut off at the output token limit');
  });

  it('tool_call re-ask: the assistant tool call is answered by a tool turn carrying the issues', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), [
      { toolCall: { name: 'return_structured_response', raw: '{"items":[{"name":"apple"}]}' } },
      { toolCall: { name: 'return_structured_response', raw: GOOD } },
    ]);
    const result = await generateStructured(runner, user, Order, { strategy: 'tool_call' });
    expect(result.attempts).toBe(2);
    const turns = requests[1]?.messages.slice(-2) ?? [];
    expect(turns[0]).toMatchObject({
      role: 'assistant',
      toolCalls: [{ id: 'call_1', name: 'return_structured_response' }],
    });
    expect(turns[1]).toMatchObject({
      role: 'tool',
      toolCallId: 'call_1',
      name: 'return_structured_response',
    });
    expect(turns[1]?.content).toContain('- items[0].qty: Invalid input: expected number, received undefined');
    expect(turns[1]?.content).toContain('call `return_structured_response` again');
  });

  it('tool_call: a model that answers in text without calling the tool is re-asked', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), [
      'I will not call tools.',
      { toolCall: { name: 'return_structured_response', raw: GOOD } },
    ]);
    await generateStructured(runner, user, Order, { strategy: 'tool_call' });
    expect(requests[1]?.messages.at(-1)).toMatchObject({ role: 'user' });
    expect(requests[1]?.messages.at(-1)?.content).toContain('was not called');
  });

  it('sums usage over the requests and reports the last response', async () => {
    const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15 };
    const { runner } = fakeRunner(deepseek(), [
      { text: '{}', usage },
      { text: GOOD, usage },
    ]);
    const result = await generateStructured(runner, user, Order);
    expect(result.usage).toEqual({ promptTokens: 20, completionTokens: 10, totalTokens: 30 });
    expect(result.response.text).toBe(GOOD);
    // The returned response carries the call's total too (API.md §16), and every request's attempts.
    expect(result.response.usage).toEqual(result.usage);
    expect(result.response.attempts).toHaveLength(2);
  });
});
