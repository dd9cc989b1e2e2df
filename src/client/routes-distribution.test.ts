import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../keys/test-support/manual-clock.js';
import type { LLMResponse } from '../spec/index.js';
import type { Reply } from '../testing/index.js';
import {
  ANTHROPIC,
  GEMINI,
  OPENAI,
  type RouteKit,
  routeKit,
  seededRandom,
} from './test-support/route-kit.js';

// API.md §14: how `weighted`, `least_busy` and `latency` spread calls, measured end to end through the fake
// provider. Randomness is seeded and time is the client's injected clock: the figures are exact and printed.

let kit: RouteKit | undefined;
afterEach(async () => {
  await kit?.close();
  expect(kit?.fake.errors ?? []).toEqual([]);
  kit = undefined;
});

function countBy(models: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const model of models) counts[model] = (counts[model] ?? 0) + 1;
  return counts;
}

describe('routes: distribution', () => {
  it('weighted 3:1 — 1,000 calls land within ±5 % of 75/25', async () => {
    kit = await routeKit({
      random: seededRandom(20_240_601),
      routes: [
        {
          name: 'w',
          strategy: 'weighted',
          targets: [
            { model: OPENAI, weight: 3 },
            { model: GEMINI, weight: 1 },
          ],
        },
      ],
    });
    const models: string[] = [];
    for (let batch = 0; batch < 100; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => kit?.llm.chat('hi', { model: 'w' }) as Promise<LLMResponse>),
      );
      models.push(...answers.map((answer) => answer.model));
    }
    const counts = countBy(models);
    const share = (counts[OPENAI] ?? 0) / models.length;
    console.log(
      `weighted 3:1 over ${models.length} calls: ${OPENAI} ${counts[OPENAI]} (${(share * 100).toFixed(1)} %), ${GEMINI} ${counts[GEMINI]} (${((1 - share) * 100).toFixed(1)} %)`,
    );
    expect(models).toHaveLength(1000);
    expect(share).toBeGreaterThanOrEqual(0.7);
    expect(share).toBeLessThanOrEqual(0.8);
  });

  it('least_busy — a target whose calls hang gets the fewest calls', async () => {
    const held: (() => void)[] = [];
    kit = await routeKit({
      routes: [{ name: 'lb', strategy: 'least_busy', targets: [OPENAI, GEMINI, ANTHROPIC] }],
      handlers: {
        // OpenAI answers only when the test lets it: its calls stay in flight.
        openai: (_request, context) =>
          new Promise<Reply>((resolve) => held.push(() => resolve(context.automatic()))),
      },
    });
    const fake = kit.fake;
    const calls: Promise<LLMResponse>[] = [];
    for (let i = 0; i < 30; i++) {
      const before = fake.requests.length;
      let settled = false;
      const call = kit.llm.chat(`call ${i}`, { model: 'lb' });
      call.then(
        () => {
          settled = true;
        },
        () => {
          settled = true;
        },
      );
      calls.push(call);
      // Next call once this one is answered, or is hanging at OpenAI (events, not time).
      while (
        !settled &&
        !(
          fake.requests.length > before &&
          held.length > 0 &&
          fake.lastRequest?.path.includes('chat/completions')
        )
      ) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    for (const release of held) release();
    const counts = countBy((await Promise.all(calls)).map((response) => response.model));
    console.log(
      `least_busy over 30 calls with ${OPENAI} hanging: ${OPENAI} ${counts[OPENAI] ?? 0}, ${GEMINI} ${counts[GEMINI] ?? 0}, ${ANTHROPIC} ${counts[ANTHROPIC] ?? 0}`,
    );
    expect(counts[OPENAI]).toBe(1);
    expect(counts[GEMINI]).toBeGreaterThanOrEqual(14);
    expect(counts[ANTHROPIC]).toBeGreaterThanOrEqual(14);
  });

  it('latency — traffic moves to the faster target within a few calls, and the other is still probed', async () => {
    const clock = new ManualClock(1_000_000, true);
    const latency = { openai: 50, gemini: 200 };
    kit = await routeKit({
      clock,
      random: seededRandom(7),
      routes: [{ name: 'fast', strategy: 'latency', targets: [OPENAI, GEMINI] }],
      handlers: {
        // Each answer takes its target's latency on the client's clock.
        openai: () => {
          clock.time += latency.openai;
          return undefined;
        },
        gemini: () => {
          clock.time += latency.gemini;
          return undefined;
        },
      },
    });
    const run = async (count: number): Promise<string[]> => {
      const models: string[] = [];
      for (let i = 0; i < count; i++)
        models.push((await kit?.llm.chat('hi', { model: 'fast' }))?.model ?? '');
      return models;
    };
    const phase1 = await run(100);
    // OpenAI slows down to 400 ms; Gemini stays at 200 ms.
    latency.openai = 400;
    const phase2 = await run(100);
    const shiftAt = phase2.indexOf(GEMINI) + 1;
    const afterShift = phase2.slice(shiftAt);
    const probesOfGemini = phase1.slice(2).filter((model) => model === GEMINI).length;
    const probesOfOpenAI = afterShift.filter((model) => model === OPENAI).length;
    console.log(
      `latency: phase 1 (OpenAI 50 ms, Gemini 200 ms): ${countBy(phase1)[OPENAI]} of 100 to OpenAI, Gemini probed ${probesOfGemini}× after its first measurement; ` +
        `phase 2 (OpenAI 400 ms): traffic moved to Gemini at call ${shiftAt}, then OpenAI probed ${probesOfOpenAI}× in ${afterShift.length} calls (${((probesOfOpenAI / afterShift.length) * 100).toFixed(1)} %)`,
    );
    // Both are measured first (not yet measured targets go first).
    expect(phase1.slice(0, 2)).toEqual([OPENAI, GEMINI]);
    expect(countBy(phase1)[OPENAI]).toBeGreaterThanOrEqual(85);
    expect(probesOfGemini).toBeGreaterThanOrEqual(1);
    expect(shiftAt).toBeGreaterThan(0);
    expect(shiftAt).toBeLessThanOrEqual(10);
    expect(probesOfOpenAI).toBeGreaterThanOrEqual(1);
    expect(probesOfOpenAI / afterShift.length).toBeLessThan(0.15);
  });
});
