import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dialectKits, type FakeClient, startFakeClient } from '../client/test-support/dialect-kit.js';
import type { RunContext } from '../spec/index.js';
import { functionTool } from './function-tool.js';
import { registerTools, unregisterTools } from './tool-registry.js';

let client: FakeClient | undefined;
afterEach(async () => {
  unregisterTools('get_weather', 'local_time');
  await client?.close();
  client = undefined;
});

describe.each(dialectKits)('registerTools end to end ($name)', (kit) => {
  it("finds a registered tool by name, runs it and answers with its result (the seed's @function_tool)", async () => {
    const seen: { city: string; sessionId: string | undefined }[] = [];
    registerTools(
      functionTool({
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: z.object({ city: z.string().describe('City name') }),
        execute: ({ city }, context: RunContext) => {
          seen.push({ city, sessionId: context.sessionId });
          return { tempC: 21, city };
        },
      }),
      { name: 'local_time', description: 'Local time', parameters: { type: 'object', properties: {} } },
    );
    client = await startFakeClient();
    const { fake, llm } = client;
    fake.enqueue(
      kit.toolCalls([{ name: 'get_weather', args: { city: 'Paris' } }]),
      kit.text('21 °C in Paris'),
    );
    const response = await llm.chat('Weather in Paris?', {
      model: kit.model,
      tools: ['get_weather', 'local_time'],
      runContext: { sessionId: 's1' },
    });
    expect(response.text).toBe('21 °C in Paris');
    expect(seen).toEqual([{ city: 'Paris', sessionId: 's1' }]);
    const [first, second] = fake.requests;
    expect(kit.declaredTools(first?.body).map((declared) => declared.name)).toEqual([
      'get_weather',
      'local_time',
    ]);
    const [weather] = kit.declaredTools(first?.body);
    const city = (weather?.parameters as { properties?: { city?: object } } | undefined)?.properties?.city;
    expect(city).toMatchObject({ description: 'City name' });
    expect(kit.toolResults(second?.body).map((result) => result.content)).toEqual([
      { tempC: 21, city: 'Paris' },
    ]);
  });

  it('an unregistered name fails before any request, listing the known tools', async () => {
    client = await startFakeClient();
    const error = await client.llm
      .chat('hi', { model: kit.model, tools: ['get_weather'] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
    expect((error as Error).message).toMatch(/unknown tool 'get_weather'; known tools: .*google_search/);
    expect(client.fake.requests).toHaveLength(0);
  });
});
