import { describe, expect, it } from 'vitest';
import type { FunctionToolSpec } from '../../spec/index.js';
import { OPENAI_DIALECTS } from './openai-dialects.js';
import { mapOpenAIToolChoice, serializeOpenAITools } from './openai-tools.js';

const weather: FunctionToolSpec = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
    required: ['city'],
  },
};
const lookup: FunctionToolSpec = {
  name: 'lookup',
  parameters: {
    type: 'object',
    properties: { filters: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  strict: true,
};
const { openai, deepseek } = OPENAI_DIALECTS;

describe('serializeOpenAITools', () => {
  it('sends nothing without function tools', () => {
    expect(serializeOpenAITools([], openai)).toEqual({
      value: { tools: undefined, strictOptionalPaths: new Map() },
      warnings: [],
    });
  });

  it('wraps functions and sends their schema as given when strict is not asked', () => {
    const { value, warnings } = serializeOpenAITools(
      [weather, { name: 'ping', description: '', parameters: undefined as never }],
      openai,
    );
    expect(value.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: weather.parameters,
        },
      },
      { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(value.tools?.[0]?.function.parameters).toBe(weather.parameters);
    expect(warnings).toEqual([]);
  });

  it('sends strict tools with the strict schema and remembers their optional fields', () => {
    const { value, warnings } = serializeOpenAITools([{ ...weather, strict: true }], openai);
    expect(value.tools?.[0]?.function).toEqual({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: ['string', 'null'], enum: ['c', 'f', null] } },
        required: ['city', 'unit'],
        additionalProperties: false,
      },
      strict: true,
    });
    expect(value.strictOptionalPaths).toEqual(new Map([['get_weather', ['/unit']]]));
    expect(warnings).toEqual([]);
  });

  it('falls back to a non-strict tool (with a warning) when the schema has a record field', () => {
    const { value, warnings } = serializeOpenAITools([lookup], openai);
    expect(value.tools?.[0]?.function).toEqual({ name: 'lookup', parameters: lookup.parameters });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^tool lookup: schema cannot be strict \(record \(additionalProperties schema\) at \/filters\); sent without strict$/,
      ),
    ]);
  });

  it('never sends strict to DeepSeek', () => {
    const { value, warnings } = serializeOpenAITools([{ ...weather, strict: true }], deepseek);
    expect(value.tools?.[0]?.function.strict).toBeUndefined();
    expect(value.tools?.[0]?.function.parameters).toBe(weather.parameters);
    expect(warnings).toEqual([
      'tool get_weather: strict mode is not supported by deepseek; sent without strict',
    ]);
  });
});

describe('mapOpenAIToolChoice', () => {
  const names = ['a', 'b', 'c'];
  it.each([
    ['AUTO', undefined, 'auto'],
    ['NONE', undefined, 'none'],
    ['ANY', undefined, 'required'],
    ['ANY', ['b'], { type: 'function', function: { name: 'b' } }],
    ['ANY', ['a', 'b', 'c'], 'required'],
    [
      'ANY',
      ['a', 'c'],
      {
        type: 'allowed_tools',
        allowed_tools: {
          mode: 'required',
          tools: [
            { type: 'function', function: { name: 'a' } },
            { type: 'function', function: { name: 'c' } },
          ],
        },
      },
    ],
  ] as const)('toolConfig %s %j → %j on OpenAI', (mode, allowed, expected) => {
    const config = { mode, ...(allowed ? { allowedFunctionNames: [...allowed] } : {}) };
    expect(mapOpenAIToolChoice(undefined, config, names, openai)).toEqual({ value: expected, warnings: [] });
  });

  it('sends "required" with a warning where a subset cannot be expressed', () => {
    expect(
      mapOpenAIToolChoice(undefined, { mode: 'ANY', allowedFunctionNames: ['a', 'c'] }, names, deepseek),
    ).toEqual({
      value: 'required',
      warnings: ['allowedFunctionNames cannot restrict calls to a subset on deepseek; sent "required"'],
    });
  });

  it('lets the call choice win over toolConfig, and forces a named function', () => {
    expect(mapOpenAIToolChoice({ name: 'c' }, { mode: 'NONE' }, names, openai).value).toEqual({
      type: 'function',
      function: { name: 'c' },
    });
    expect(mapOpenAIToolChoice('none', { mode: 'ANY' }, names, openai).value).toBe('none');
    expect(mapOpenAIToolChoice({ name: 'zzz' }, undefined, names, openai)).toEqual({
      value: 'required',
      warnings: ['tool choice names unknown tool zzz; sent "required"'],
    });
  });

  it('sends no tool_choice without tools (and says so when calls were required)', () => {
    expect(mapOpenAIToolChoice('auto', undefined, [], openai)).toEqual({ value: undefined, warnings: [] });
    expect(mapOpenAIToolChoice(undefined, { mode: 'ANY' }, [], openai)).toEqual({
      value: undefined,
      warnings: ['tool choice ignored: no function tools were given'],
    });
    expect(mapOpenAIToolChoice(undefined, undefined, names, openai)).toEqual({
      value: undefined,
      warnings: [],
    });
  });
});
