import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { shouldApplyAutoCoT } from './auto-cot.js';
import { generateStructured } from './generate-structured.js';
import { fakeRunner, testModel } from './test-support/fake-runner.js';

const user = [{ role: 'user' as const, content: 'What is 17 * 3?' }];
const Answer = z.object({ answer: z.number() });
const WRAPPED = '{"reasoning":"17 * 3 = 51, checked twice.","result":{"answer":51}}';

describe('AutoCoT', () => {
  it('autoThinking: true on a model without native reasoning wraps the schema and returns result', async () => {
    const { runner, requests } = fakeRunner(testModel('gpt-4o', 'openai'), [WRAPPED]);
    const result = await generateStructured(runner, user, Answer, {
      autoThinking: true,
      instruction: 'You are a calculator.',
    });
    expect(result.value).toEqual({ answer: 51 });
    expect(result.reasoning).toBe('17 * 3 = 51, checked twice.');
    const format = requests[0]?.config.output?.responseFormat as { json_schema: { schema: any } };
    expect(format.json_schema.schema.required).toEqual(['reasoning', 'result']);
    expect(format.json_schema.schema.properties.reasoning.description).toMatch(
      /^Before producing the final result/,
    );
    expect(requests[0]?.messages[0]).toEqual({
      role: 'system',
      content:
        'You are a calculator.\n\nBe sure to reason step by step in the `reasoning` field first, making sure the logic is right, then fill in the `result` field.',
    });
  });

  it('a too-short reasoning is an issue like any other (min length 10)', async () => {
    const { runner, requests } = fakeRunner(testModel('deepseek-chat', 'deepseek'), [
      '{"reasoning":"easy","result":{"answer":51}}',
      WRAPPED,
    ]);
    const result = await generateStructured(runner, user, Answer, { autoThinking: true });
    expect(result.attempts).toBe(2);
    expect(requests[1]?.messages.at(-1)?.content).toContain('- reasoning: Too small');
  });

  it.each([
    ['autoThinking absent', 'gpt-4o', undefined, undefined],
    ['autoThinking false', 'gpt-4o', false, undefined],
    ['a reasoning model (o3)', 'o3', true, undefined],
    ['a Gemini 2.5 model (budget)', 'gemini-2.5-flash', true, undefined],
    ['the config asks for reasoning', 'gpt-4o', true, { reasoning: { effort: 'low' as const } }],
  ])('never wrapped: %s', async (_label, id, autoThinking, config) => {
    const { runner, requests } = fakeRunner(testModel(id, id.startsWith('gemini') ? 'gemini' : 'openai'), [
      '{"answer":51}',
    ]);
    const options = {
      ...(autoThinking !== undefined ? { autoThinking } : {}),
      ...(config ? { config } : {}),
    };
    const result = await generateStructured(runner, user, Answer, options);
    expect(result.value).toEqual({ answer: 51 });
    expect(result.reasoning).toBeUndefined();
    expect(JSON.stringify(requests[0])).not.toContain('reasoning step by step');
  });

  it('shouldApplyAutoCoT: budgetTokens 0 still counts as no reasoning', () => {
    const caps = testModel('gpt-4o', 'openai').capabilities;
    expect(shouldApplyAutoCoT(true, caps, { reasoning: { budgetTokens: 0 } })).toBe(true);
    expect(shouldApplyAutoCoT(true, caps, { reasoning: { budgetTokens: -1 } })).toBe(false);
    expect(shouldApplyAutoCoT(undefined, caps, undefined)).toBe(false);
  });

  it('the Chinese prompt locale uses the seed texts', async () => {
    const { runner, requests } = fakeRunner(testModel('deepseek-chat', 'deepseek'), [WRAPPED]);
    await generateStructured(runner, user, Answer, { autoThinking: true, promptLocale: 'zh' });
    const system = requests[0]?.messages[0]?.content as string;
    expect(system).toMatch(/^请务必先在 `reasoning` 字段中进行详细的一步步推理/);
    expect(system).toContain('请严格按照以下 JSON Schema 格式进行响应。');
    expect(system).toContain('禁止留空');
  });
});
