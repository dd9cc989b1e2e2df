import { describe, expect, it } from 'vitest';
import type { FunctionToolSpec, ProviderToolSpec } from '../../spec/index.js';
import { type AnthropicToolsInput, mapAnthropicTools } from './anthropic-tools.js';
import { requestBody } from './test-support/anthropic-fixtures.js';

const weather: FunctionToolSpec = {
  name: 'weather',
  description: 'Gets current weather for a location',
  parameters: {
    type: 'object',
    properties: {
      latitude: { type: 'string', description: 'Latitude (e.g., 52.5200)' },
      longitude: { type: 'string', description: 'Longitude (e.g., 13.4050)' },
    },
    required: ['latitude', 'longitude'],
    additionalProperties: false,
  },
};
const language: FunctionToolSpec = {
  name: 'best_language_to_learn',
  description: 'Gets the best language to learn',
  parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
};

const tools = (functions: FunctionToolSpec[], providerTools: ProviderToolSpec[] = []) => ({
  functions,
  providerTools,
});
const map = (input: Partial<AnthropicToolsInput> & Pick<AnthropicToolsInput, 'tools'>) =>
  mapAnthropicTools({ thinking: false, ...input });

/** The recorded tools without ruby_llm's stray `strict` inside `input_schema`. */
function recordedTools(file: string): unknown {
  return (requestBody(file).tools as { input_schema: Record<string, unknown> }[]).map((tool) => {
    const { strict: _strict, ...schema } = tool.input_schema;
    return { ...tool, input_schema: schema };
  });
}

describe('mapAnthropicTools', () => {
  it('function tools → name, description, input_schema (the recorded tool requests)', () => {
    expect(map({ tools: tools([weather]) }).value.tools).toEqual(
      recordedTools('anthropic/messages-tool-use.exchange.json'),
    );
    expect(map({ tools: tools([weather, language]) }).value.tools).toEqual(
      recordedTools('anthropic/messages-parallel-tool-use.exchange.json'),
    );
  });

  it('cacheControl → cache_control; strict → strict with a closed schema; a schema without type gets object', () => {
    const { value } = map({
      tools: tools([
        { ...weather, cacheControl: { type: 'ephemeral', ttl: '1h' } },
        { name: 'loose', parameters: { properties: { n: { type: 'integer', minimum: 1 } } }, strict: true },
      ]),
    });
    expect(value.tools?.[0]).toMatchObject({ cache_control: { type: 'ephemeral', ttl: '1h' } });
    expect(value.tools?.[1]).toEqual({
      name: 'loose',
      strict: true,
      input_schema: {
        type: 'object',
        properties: { n: { type: 'integer', description: '{minimum: 1}' } },
        additionalProperties: false,
      },
    });
  });

  it('the neutral search and code tools → Anthropic server tools; url_context is reported', () => {
    const { value, warnings } = map({
      tools: tools(
        [],
        [
          { kind: 'provider', provider: 'gemini', type: 'google_search' },
          { kind: 'provider', provider: 'gemini', type: 'code_execution' },
          { kind: 'provider', provider: 'gemini', type: 'url_context', urls: ['https://x.dev'] },
        ],
      ),
    });
    expect(value.tools).toEqual([
      { type: 'web_search_20250305', name: 'web_search' },
      { type: 'code_execution_20250825', name: 'code_execution' },
    ]);
    expect(warnings).toEqual(['Anthropic has no url_context tool; not sent']);
  });

  it('tool choice: auto, none, required → any, { name } → tool; unknown names fall back to any', () => {
    const choice = (toolChoice: AnthropicToolsInput['toolChoice']) =>
      map({ tools: tools([weather, language]), ...(toolChoice != null ? { toolChoice } : {}) });
    expect(choice(undefined).value.tool_choice).toBeUndefined();
    expect(choice('auto').value.tool_choice).toEqual({ type: 'auto' });
    expect(choice('none').value.tool_choice).toEqual({ type: 'none' });
    expect(choice('required').value.tool_choice).toEqual({ type: 'any' });
    expect(choice({ name: 'weather' }).value.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    const unknown = choice({ name: 'nope' });
    expect(unknown.value.tool_choice).toEqual({ type: 'any' });
    expect(unknown.warnings).toEqual(['tool choice names unknown tool nope; sent "any"']);
  });

  it('config.toolConfig when the call gives no choice: ANY with one allowed name forces it', () => {
    const config = (toolConfig: AnthropicToolsInput['toolConfig']) =>
      map({ tools: tools([weather, language]), ...(toolConfig != null ? { toolConfig } : {}) });
    expect(config({ mode: 'ANY', allowedFunctionNames: ['weather'] }).value.tool_choice).toEqual({
      type: 'tool',
      name: 'weather',
    });
    expect(config({ mode: 'ANY' }).value.tool_choice).toEqual({ type: 'any' });
    expect(config({ mode: 'NONE' }).value.tool_choice).toEqual({ type: 'none' });
    expect(config({ mode: 'AUTO' }).value.tool_choice).toEqual({ type: 'auto' });
    expect(
      map({ tools: tools([weather, language]), toolChoice: 'none', toolConfig: { mode: 'ANY' } }).value
        .tool_choice,
    ).toEqual({ type: 'none' });
  });

  it('a forced choice while thinking becomes auto with a warning; a choice without tools is not sent', () => {
    const forced = map({ tools: tools([weather]), toolChoice: { name: 'weather' }, thinking: true });
    expect(forced.value.tool_choice).toEqual({ type: 'auto' });
    expect(forced.warnings).toEqual([
      'Anthropic cannot force a tool call while thinking; tool choice sent as auto',
    ]);
    const none = map({ tools: tools([]), toolChoice: 'required' });
    expect(none.value).toEqual({});
    expect(none.warnings).toEqual(['tool choice ignored: no tools were given']);
  });
});
