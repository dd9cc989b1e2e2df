import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  chatBodies,
  dialectKits,
  type FakeClient,
  openaiKit,
  startFakeClient,
} from './test-support/dialect-kit.js';

// generateStructured with the caller's tools (API.md §8; issue 17 item 3): the tool loop runs first, and the
// final answer is the structured one. OpenAI and Gemini dialects against the fake provider.

let client: FakeClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

type Json = Record<string, unknown>;

const Weather = z.object({ city: z.string(), tempC: z.number() });

function weatherTool(runs: string[]) {
  return {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    execute: ({ city }: { city: string }) => {
      runs.push(city);
      return { city, tempC: 21 };
    },
  };
}

/** The tool choice a request sent, in one shape: 'required', 'auto', a forced name, or undefined. */
function choiceOf(body: Json | undefined): string | undefined {
  if (body?.tool_choice != null) {
    const choice = body.tool_choice as string | { function: { name: string } };
    return typeof choice === 'string' ? choice : `name:${choice.function.name}`;
  }
  const config = (body?.toolConfig as Json | undefined)?.functionCallingConfig as Json | undefined;
  if (config == null) return undefined;
  const names = config.allowedFunctionNames as string[] | undefined;
  if (config.mode === 'ANY') return names?.length === 1 ? `name:${names[0]}` : 'required';
  return String(config.mode).toLowerCase();
}

describe.each(dialectKits)('generateStructured with tools ($name)', (kit) => {
  it('a tool round, then the structured answer (default strategy tool_call, tool choice required)', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const runs: string[] = [];
    fake.enqueue(
      kit.toolCalls([{ name: 'get_weather', args: { city: 'Paris' }, id: 'call_w' }]),
      kit.toolCalls([
        { name: 'return_structured_response', args: { city: 'Paris', tempC: 21 }, id: 'call_s' },
      ]),
    );
    const result = await llm.generateStructuredResult('Weather in Paris, structured', Weather, {
      model: kit.model,
      tools: [weatherTool(runs)],
    });
    expect(result.value).toEqual({ city: 'Paris', tempC: 21 });
    expect(result.strategy).toBe('tool_call');
    expect(runs).toEqual(['Paris']);
    const [first, second] = chatBodies(fake);
    for (const body of [first, second]) {
      expect(kit.declaredTools(body).map((tool) => tool.name)).toEqual([
        'get_weather',
        'return_structured_response',
      ]);
      expect(choiceOf(body)).toBe('required');
    }
    expect(kit.toolResults(second).map((sent) => sent.content)).toEqual([{ city: 'Paris', tempC: 21 }]);
    expect(result.response.toolResults?.map((record) => record.call.name)).toEqual(['get_weather']);
  });

  it('a failed structured answer is re-asked with the tool rounds kept; the tool is not run again', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const runs: string[] = [];
    fake.enqueue(
      kit.toolCalls([{ name: 'get_weather', args: { city: 'Oslo' }, id: 'call_w' }]),
      kit.toolCalls([
        { name: 'return_structured_response', args: { city: 'Oslo', tempC: 'cold' }, id: 'call_1' },
      ]),
      kit.toolCalls([
        { name: 'return_structured_response', args: { city: 'Oslo', tempC: -3 }, id: 'call_2' },
      ]),
    );
    const value = await llm.generateStructured('Weather in Oslo', Weather, {
      model: kit.model,
      tools: [weatherTool(runs)],
    });
    expect(value).toEqual({ city: 'Oslo', tempC: -3 });
    expect(runs).toEqual(['Oslo']);
    const third = chatBodies(fake)[2];
    const text = JSON.stringify(third);
    expect(text).toContain('get_weather');
    expect(text).toMatch(/tempC\\*":21/); // the weather result (a JSON string in OpenAI tool messages)
    const feedback = kit.toolResults(third);
    expect(feedback).toHaveLength(1);
    expect(JSON.stringify(feedback[0]?.content)).toMatch(/tempC/);
  });

  it("the caller's toolChoice opens the first request; later rounds are required", async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    fake.enqueue(
      kit.toolCalls([{ name: 'get_weather', args: { city: 'Rome' } }]),
      kit.toolCalls([{ name: 'return_structured_response', args: { city: 'Rome', tempC: 21 } }]),
    );
    await llm.generateStructured('Rome?', Weather, {
      model: kit.model,
      tools: [weatherTool([])],
      toolChoice: { name: 'get_weather' },
    });
    expect(chatBodies(fake).map(choiceOf)).toEqual(['name:get_weather', 'required']);
  });

  it("strategy 'prompt': the rounds carry the schema prompt and the caller's tools; the final text is read", async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const runs: string[] = [];
    fake.enqueue(
      kit.toolCalls([{ name: 'get_weather', args: { city: 'Lima' } }]),
      kit.text('{"city": "Lima", "tempC": 21}'),
    );
    const result = await llm.generateStructuredResult('Lima?', Weather, {
      model: kit.model,
      tools: [weatherTool(runs)],
      strategy: 'prompt',
    });
    expect(result.value).toEqual({ city: 'Lima', tempC: 21 });
    expect(result.strategy).toBe('prompt');
    expect(runs).toEqual(['Lima']);
    for (const body of chatBodies(fake)) {
      expect(kit.declaredTools(body).map((tool) => tool.name)).toEqual(['get_weather']);
      expect(JSON.stringify(body)).toContain('JSON Schema');
    }
  });

  it('streamStructured: the tool round runs, then partials of the structured answer and the value', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const runs: string[] = [];
    fake.enqueue(
      kit.toolCallStream([{ name: 'get_weather', args: { city: 'Kyiv' } }]),
      kit.toolCallStream([{ name: 'return_structured_response', args: { city: 'Kyiv', tempC: 21 } }]),
    );
    const stream = llm.streamStructured('Kyiv?', Weather, { model: kit.model, tools: [weatherTool(runs)] });
    const partials: unknown[] = [];
    for await (const event of stream) if (event.type === 'partial') partials.push(event.partial);
    expect(await stream.value).toEqual({ city: 'Kyiv', tempC: 21 });
    expect(partials.at(-1)).toEqual({ city: 'Kyiv', tempC: 21 });
    expect(runs).toEqual(['Kyiv']);
    expect(fake.requests).toHaveLength(2);
  });

  it("streamStructured with strategy 'prompt': a tool round's text is not parsed as the answer", async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    fake.enqueue(
      kit.toolCallStream([{ name: 'get_weather', args: { city: 'Baku' } }]),
      kit.textStream(['{"city": "Baku", ', '"tempC": 21}']),
    );
    const stream = llm.streamStructured('Baku?', Weather, {
      model: kit.model,
      tools: [weatherTool([])],
      strategy: 'prompt',
    });
    const partials: unknown[] = [];
    for await (const event of stream) if (event.type === 'partial') partials.push(event.partial);
    expect(await stream.value).toEqual({ city: 'Baku', tempC: 21 });
    expect(partials.at(-1)).toEqual({ city: 'Baku', tempC: 21 });
  });
});

describe('generateStructured with tools: details', () => {
  it("strategy 'native' (OpenAI): response_format json_schema and the tools travel together", async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    fake.enqueue(
      openaiKit.toolCalls([{ name: 'get_weather', args: { city: 'Nice' } }]),
      openaiKit.text('{"city": "Nice", "tempC": 21}'),
    );
    const value = await llm.generateStructured('Nice?', Weather, {
      model: 'OpenAI/gpt-4o-mini',
      tools: [weatherTool([])],
      strategy: 'native',
    });
    expect(value).toEqual({ city: 'Nice', tempC: 21 });
    for (const body of chatBodies(fake)) {
      expect((body.response_format as Json | undefined)?.type).toBe('json_schema');
      expect((body.tools as unknown[]).length).toBe(1);
    }
  });

  it("toolChoice 'none' sends no caller tools (the plain structured call)", async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    fake.enqueue(openaiKit.text('{"city": "Bern", "tempC": 21}'));
    const result = await llm.generateStructuredResult('Bern?', Weather, {
      model: 'OpenAI/gpt-4o-mini',
      tools: [weatherTool([])],
      toolChoice: 'none',
    });
    expect(result.strategy).toBe('native');
    expect(chatBodies(fake)[0]?.tools).toBeUndefined();
  });

  it('maxToolRounds bounds the tool rounds (GENERATION_FAILED past it)', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const kit = openaiKit;
    fake.enqueue(
      kit.toolCalls([{ name: 'get_weather', args: { city: 'A' } }]),
      kit.toolCalls([{ name: 'get_weather', args: { city: 'B' } }]),
    );
    const error = await llm
      .generateStructured('Loop', Weather, { model: kit.model, tools: [weatherTool([])], maxToolRounds: 1 })
      .catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'GENERATION_FAILED' });
    expect(fake.requests).toHaveLength(2);
  });
});
