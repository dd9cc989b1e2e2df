import { afterEach, describe, expect, it } from 'vitest';
import { anthropicMessageReply, geminiReply } from '../testing/index.js';
import { ANTHROPIC, GEMINI, type RouteKit, routeKit } from './test-support/route-kit.js';

// API.md §14 + §3: a session over a route stores the answering target as `message.model`, so reasoning
// artefacts (Gemini thought signatures, Anthropic thinking) replay only to the provider that made them.

let kit: RouteKit | undefined;
afterEach(async () => {
  await kit?.close();
  expect(kit?.fake.errors ?? []).toEqual([]);
  kit = undefined;
});

const unavailable = () => ({
  json: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } },
  status: 503,
});

describe('routes: sessions', () => {
  it('a turn that fell back to another provider replays reasoning artefacts only to their own provider', async () => {
    let geminiDown = false;
    let turn = 0;
    kit = await routeKit({
      routes: [{ name: 'r', targets: [GEMINI, ANTHROPIC] }],
      handlers: {
        gemini: () => {
          if (geminiDown) return unavailable();
          turn++;
          return geminiReply([{ text: `gemini answer ${turn}`, thoughtSignature: `gem-sig-${turn}` }]);
        },
        anthropic: () => {
          turn++;
          return anthropicMessageReply([
            { type: 'thinking', thinking: `pondering ${turn}`, signature: `ant-sig-${turn}` },
            { type: 'text', text: `anthropic answer ${turn}` },
          ]);
        },
      },
    });
    const ai = kit.llm.session({ model: 'r' });

    expect((await ai.chat('one')).model).toBe(GEMINI);
    geminiDown = true;
    expect((await ai.chat('two')).model).toBe(ANTHROPIC);
    const toAnthropic = kit.requests('anthropic')[0]?.rawBody ?? '';
    expect(toAnthropic).toContain('gemini answer 1');
    expect(toAnthropic).not.toContain('gem-sig-1');

    geminiDown = false;
    expect((await ai.chat('three')).model).toBe(GEMINI);
    const toGemini = kit.requests('gemini').at(-1)?.rawBody ?? '';
    expect(toGemini).toContain('gem-sig-1');
    expect(toGemini).toContain('anthropic answer 2');
    expect(toGemini).not.toContain('ant-sig-2');

    geminiDown = true;
    expect((await ai.chat('four')).model).toBe(ANTHROPIC);
    const backToAnthropic = kit.requests('anthropic').at(-1)?.rawBody ?? '';
    expect(backToAnthropic).toContain('ant-sig-2');
    expect(backToAnthropic).not.toContain('gem-sig-1');
    expect(backToAnthropic).not.toContain('gem-sig-3');

    const history = await ai.history();
    expect(history.filter((m) => m.role === 'assistant').map((m) => m.model)).toEqual([
      GEMINI,
      ANTHROPIC,
      GEMINI,
      ANTHROPIC,
    ]);
  });

  it('a session stream over a route stores the answering target too', async () => {
    kit = await routeKit({
      routes: [{ name: 'r', targets: [GEMINI, ANTHROPIC] }],
      handlers: { gemini: unavailable },
    });
    const ai = kit.llm.session({ model: 'r' });
    const stream = ai.stream('hi');
    for await (const _event of stream) {
      // drain
    }
    expect((await stream.response).model).toBe(ANTHROPIC);
    const history = await ai.history();
    expect(history.at(-1)?.model).toBe(ANTHROPIC);
  });
});
