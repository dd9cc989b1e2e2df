import { describe, expect, it } from 'vitest';
import { toResponsesTools } from './responses-tools.js';

const weather = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city', 'unit'],
  additionalProperties: false,
};

describe('toResponsesTools', () => {
  it('writes flat function tools (no chat-completions nesting) with strict always present', () => {
    const { value, warnings } = toResponsesTools({
      functions: [
        { name: 'get_weather', description: 'Weather for a city', parameters: weather, strict: true },
        { name: 'ping', parameters: { type: 'object', properties: {} } },
      ],
      providerTools: [],
    });
    expect(value.tools).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: weather,
        strict: true,
      },
      { type: 'function', name: 'ping', parameters: { type: 'object', properties: {} }, strict: false },
    ]);
    expect(value.tools[0]).not.toHaveProperty('function');
    expect(value.strictOptionalPaths.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('converts a schema with optional fields to strict form and remembers their paths', () => {
    const { value, warnings } = toResponsesTools({
      functions: [
        {
          name: 'search',
          parameters: {
            type: 'object',
            properties: { q: { type: 'string' }, limit: { type: 'integer' } },
            required: ['q'],
          },
          strict: true,
        },
      ],
      providerTools: [],
    });
    expect(value.tools[0]).toEqual({
      type: 'function',
      name: 'search',
      parameters: {
        type: 'object',
        properties: { q: { type: 'string' }, limit: { type: ['integer', 'null'] } },
        required: ['q', 'limit'],
        additionalProperties: false,
      },
      strict: true,
    });
    expect(value.strictOptionalPaths.get('search')).toEqual(['/limit']);
    expect(warnings).toEqual([]);
  });

  it('sends strict: false with the reason when the schema has no strict form', () => {
    const { value, warnings } = toResponsesTools({
      functions: [
        {
          name: 'tag',
          parameters: {
            type: 'object',
            properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } },
          },
          strict: true,
        },
      ],
      providerTools: [],
    });
    expect(value.tools[0]?.strict).toBe(false);
    expect(warnings[0]).toMatch(/^tool "tag": schema cannot be strict \(record/);
  });

  it('reports native tools it cannot send, once each', () => {
    const native = { kind: 'provider', provider: 'gemini', type: 'code_execution' } as const;
    const { value, warnings } = toResponsesTools({ functions: [], providerTools: [native, native] });
    expect(value.tools).toEqual([]);
    expect(warnings).toEqual([
      'native tool "code_execution" (gemini) is not available on the Responses API; ignored',
    ]);
  });
});
