import { afterEach, describe, expect, it } from 'vitest';
import { createLLM } from '../client/llm.js';
import { dialectKits, type FakeClient, startFakeClient } from '../client/test-support/dialect-kit.js';
import { fakeEmbedding, startFakeProvider, TINY_PNG_BASE64 } from '../testing/index.js';
import { ToolInvoker } from '../tools/tool-invoker.js';

let client: FakeClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

type Json = Record<string, unknown>;
const records = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** Every text of a request body, in order, as `role:text` (OpenAI messages or Gemini contents). */
function sentTexts(body: unknown): string[] {
  const json = body as Json;
  if (Array.isArray(json.messages)) {
    return records(json.messages).flatMap((message) =>
      typeof message.content === 'string'
        ? [`${message.role}:${message.content}`]
        : records(message.content).flatMap((part) =>
            typeof part.text === 'string' ? [`${message.role}:${part.text}`] : [],
          ),
    );
  }
  const system = (json.systemInstruction ?? {}) as Json;
  const contents = [{ ...system, role: 'system' }, ...records(json.contents)];
  return contents.flatMap((content) =>
    records(content.parts).flatMap((part) =>
      typeof part.text === 'string' ? [`${content.role}:${part.text}`] : [],
    ),
  );
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe.each(dialectKits)('sessions end to end ($name)', (kit) => {
  it('the continue pattern: tool calls returned, run by hand, results added, then chat() answers them', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const ai = llm.session({ model: kit.model, tools: [weatherTool] });
    fake.enqueue(kit.toolCalls([{ name: 'get_weather', args: { city: 'Paris' }, id: 'call_w1' }]));
    const asked = await ai.chat('Weather in Paris?');
    expect(asked.toolCalls.map((call) => [call.name, call.arguments])).toEqual([
      ['get_weather', { city: 'Paris' }],
    ]);

    const results = await new ToolInvoker().executeBatch(asked.toolCalls, [
      { ...weatherTool, execute: ({ city }: { city: string }) => ({ city, tempC: 21 }) },
    ]);
    await ai.addToHistory(results);
    fake.enqueue(kit.text('21 °C in Paris.'));
    const answer = await ai.chat();
    expect(answer.text).toBe('21 °C in Paris.');

    const body = fake.requests[1]?.body;
    expect(kit.replayedCalls(body).map((call) => call.name)).toEqual(['get_weather']);
    expect(kit.toolResults(body).map((result) => result.content)).toEqual([{ city: 'Paris', tempC: 21 }]);
    expect((await ai.history()).map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });

  it('the README example: maxToolRounds 0 returns the calls; results added; chat() continues', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const weather = { ...weatherTool, execute: ({ city }: { city: string }) => ({ city, tempC: 18 }) };
    const ai = llm.session({ model: kit.model, tools: [weather] });
    fake.enqueue(kit.toolCalls([{ name: 'get_weather', args: { city: 'Oslo' } }]));
    const asked = await ai.chat('Weather in Oslo?', { maxToolRounds: 0 });
    expect(fake.requests).toHaveLength(1);
    await ai.addToHistory(await new ToolInvoker().executeBatch(asked.toolCalls, [weather]));
    fake.enqueue(kit.text('18 °C.'));
    expect((await ai.chat()).text).toBe('18 °C.');
    expect(kit.toolResults(fake.requests[1]?.body).map((result) => result.content)).toEqual([
      { city: 'Oslo', tempC: 18 },
    ]);
    expect(kit.declaredTools(fake.requests[1]?.body).map((tool) => tool.name)).toEqual(['get_weather']);
  });

  it('the observation buffer: lines observed in a group are sent before the question, then stored', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const ai = llm.session({ model: kit.model, instruction: 'You read a group chat.' });
    ai.addObservation('Alice: the meeting moved to 3pm');
    ai.addObservation('Bob: room 101');
    fake.enqueue(kit.text('3pm, room 101.'));
    await ai.chat('When and where is the meeting?');
    const texts = sentTexts(fake.requests[0]?.body).filter((text) => !text.includes('group chat'));
    expect(texts.map((text) => text.replace(/^\w+:/, ''))).toEqual([
      'Alice: the meeting moved to 3pm',
      'Bob: room 101',
      'When and where is the meeting?',
    ]);
    ai.addObservation('Carol: bot, say hi');
    fake.enqueue(kit.text('Hi Carol!'));
    await ai.chat();
    expect(sentTexts(fake.requests[1]?.body).at(-1)).toMatch(/Carol: bot, say hi$/);
    expect(await ai.history()).toHaveLength(6);
  });

  it('sends media once; later turns see a placeholder, not the base64', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const ai = llm.session({ model: kit.model });
    await ai.chat([
      { type: 'text', text: 'What is this?' },
      { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 },
    ]);
    expect(fake.requests[0]?.rawBody).toContain(TINY_PNG_BASE64);
    await ai.chat('Describe it again.');
    expect(fake.requests[1]?.rawBody).not.toContain(TINY_PNG_BASE64);
    expect(sentTexts(fake.requests[1]?.body)).toContain('user:[image: image/png, 70 B]');
  });

  it('code() and search() attach the native tools (Gemini) and are stored as turns', async () => {
    client = await startFakeClient();
    const { fake, llm } = client;
    const ai = llm.session({ model: kit.model });
    const coded = await ai.code('What is the 10th prime?');
    const searched = await ai.search('Latest Node.js LTS');
    if (kit.name === 'gemini') {
      const toolKeys = (index: number) =>
        records(((fake.requests[index]?.body ?? {}) as Json).tools).flatMap(Object.keys);
      expect(toolKeys(0)).toEqual([expect.stringMatching(/^code_?execution$/i)]);
      expect(toolKeys(1)).toEqual([expect.stringMatching(/^google_?search$/i)]);
    } else {
      expect(coded.warnings.join(' ')).toMatch(/code_execution/);
      expect(searched.warnings.join(' ')).toMatch(/google_search/);
    }
    expect(sentTexts(fake.requests[1]?.body).join('\n')).toMatch(/You are an expert at finding/);
    expect(await ai.history()).toHaveLength(4);
  });
});

describe('ai.embed end to end (createLLM → SessionBackend.embed → llm.embed)', () => {
  it('embeds with the session embedding model (OpenAI and Gemini wire) and leaves history alone', async () => {
    const fake = await startFakeProvider();
    const llm = createLLM({
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: ['test-key-1'],
          models: ['gpt-4o-mini', { name: 'text-embedding-3-small', embedding: true }],
        },
        {
          name: 'Gemini',
          apiType: 'gemini',
          apiBase: fake.geminiBase,
          apiKeys: ['test-key-2'],
          models: [{ name: 'gemini-embedding-001', embedding: true }],
        },
      ],
    });
    client = {
      fake,
      llm,
      close: async () => {
        await llm.close();
        await fake.close();
      },
    };
    const ai = llm.session({ embeddingModel: 'OpenAI/text-embedding-3-small' });
    expect(await ai.embed(['alpha', 'beta'])).toEqual([fakeEmbedding('alpha'), fakeEmbedding('beta')]);
    expect(fake.lastRequest?.path).toBe('/v1/embeddings');
    expect(await ai.embed('gamma', { model: 'Gemini/gemini-embedding-001' })).toEqual([
      fakeEmbedding('gamma'),
    ]);
    expect(fake.lastRequest?.path).toMatch(/^\/v1beta\/models\/gemini-embedding-001:/);
    expect(fake.requests).toHaveLength(2);
    expect(await ai.history()).toEqual([]);
    // The client's errors come out unchanged (an unknown model stays MODEL_NOT_FOUND).
    const unknown = await ai.embed('x', { model: 'OpenAI/nope' }).catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});
