import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import { registerProvider, unregisterProvider } from '../providers/provider-registry.js';
import type { ChatDialect } from '../spec/index.js';
import { generateStructured } from './generate-structured.js';
import { planStructured } from './structured-plan.js';
import { fakeRunner, testModel } from './test-support/fake-runner.js';

const user = [{ role: 'user' as const, content: 'Extract: 2 apples' }];
const Order = z.object({ item: z.string(), qty: z.number() });
const chat = {} as ChatDialect;

beforeAll(() => {
  registerProvider({ apiType: 'plan_plain', chat: () => chat });
  registerProvider({ apiType: 'plan_tools', chat: () => chat, structuredOutput: { fallback: 'tool_call' } });
  registerProvider({
    apiType: 'plan_native',
    chat: () => chat,
    structuredOutput: {
      native: (schema, { name }) => ({
        output: { responseFormat: { type: 'toy_schema', name, schema } },
        strict: true,
        optionalPaths: ['/note'],
        warnings: ['toy note'],
      }),
    },
  });
});
afterAll(() => {
  for (const type of ['plan_plain', 'plan_tools', 'plan_native']) unregisterProvider(type);
});

describe('planStructured: the strategy comes from the model definition', () => {
  it('uses the definition’s native builder, its output, strictness, optional paths and warnings', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'plan_native'), ['{"item":"a","qty":2}']);
    const result = await generateStructured(runner, user, Order, { schemaName: 'order' });
    expect(result).toMatchObject({ strategy: 'native', strict: true, value: { item: 'a', qty: 2 } });
    expect(result.warnings).toContain('toy note');
    expect(requests[0]?.config.output).toEqual({
      structuredOutputStrategy: 'native',
      responseFormat: {
        type: 'toy_schema',
        name: 'order',
        schema: expect.objectContaining({ type: 'object' }),
      },
    });
    const plan = planStructured(testModel('gpt-4o', 'plan_native'), Order, {});
    expect(plan.optionalPaths).toEqual(['/note']);
  });

  it('never sends native to a type without it: tool_call for a JSON-schema model, prompt otherwise', () => {
    expect(planStructured(testModel('gpt-4o', 'plan_plain'), Order, {}).strategy).toBe('tool_call');
    expect(
      planStructured(testModel('gpt-4o', 'plan_plain', { toolCalling: false }), Order, {}).strategy,
    ).toBe('prompt');
    expect(planStructured(testModel('glm-4-plus', 'plan_plain'), Order, {}).strategy).toBe('prompt');
  });

  it('uses the declared fallback (tool_call only for models that call tools)', () => {
    expect(planStructured(testModel('glm-4-plus', 'plan_tools'), Order, {}).strategy).toBe('tool_call');
    expect(
      planStructured(testModel('glm-4-plus', 'plan_tools', { toolCalling: false }), Order, {}).strategy,
    ).toBe('prompt');
  });

  it('rejects an explicit native strategy on a type without it, naming the type', () => {
    const run = () => planStructured(testModel('gpt-4o', 'plan_plain'), Order, { strategy: 'native' });
    expect(run).toThrow(LLMError);
    expect(run).toThrow(/apiType plan_plain has no native structured output/);
    try {
      run();
    } catch (error) {
      expect((error as LLMError).code).toBe('INVALID_PARAMETER');
    }
  });

  it('keeps the built-in choices: OpenAI native, DeepSeek prompt with JSON mode', () => {
    expect(planStructured(testModel('gpt-4o', 'openai'), Order, {})).toMatchObject({
      strategy: 'native',
      strict: true,
    });
    expect(planStructured(testModel('deepseek-chat', 'deepseek'), Order, {})).toMatchObject({
      strategy: 'prompt',
      jsonMode: true,
    });
    expect(() =>
      planStructured(testModel('deepseek-chat', 'deepseek'), Order, { strategy: 'native' }),
    ).toThrow(/apiType deepseek has no native structured output/);
  });
});

describe('planStructured with toolsFirst (the caller’s tools run first)', () => {
  it('defaults to tool_call for a model that calls tools, forcing some tool rather than the structured one', () => {
    const model = testModel('gpt-4o', 'plan_native', { toolCalling: true, jsonSchema: true });
    const plan = planStructured(model, Order, { toolsFirst: true });
    expect(plan.strategy).toBe('tool_call');
    expect(plan.toolChoice).toBe('required');
    expect(plan.tools?.map((tool) => tool.name)).toEqual(['return_structured_response']);
    expect(plan.systemText).toMatch(/other tools as needed/);
    // Without toolsFirst the same model is native; an explicit strategy always wins.
    expect(planStructured(model, Order, {}).strategy).toBe('native');
    expect(planStructured(model, Order, { toolsFirst: true, strategy: 'native' }).strategy).toBe('native');
  });

  it('keeps the ordinary choice for a model without tool calling', () => {
    const model = testModel('plain-model', 'plan_plain', { toolCalling: false, jsonSchema: false });
    expect(planStructured(model, Order, { toolsFirst: true }).strategy).toBe('prompt');
  });
});
