import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, type SseItem, startFakeProvider } from '../testing/index.js';
import { createLLM, type LLM } from './llm.js';

// A 20 MB answer streamed as 100,000 chunks through `llm.stream()` must not be copied more than a
// couple of times on its way to `response.text`: peak live-heap growth stays under 3x the text size.

const CHUNKS = 100_000;
const PIECE_CHARS = 200;
const TEXT_BYTES = CHUNKS * PIECE_CHARS; // ASCII: one byte per character in V8
const LIMIT = 3 * TEXT_BYTES;
const SAMPLE_EVERY = 10_000;

/** `global.gc`, exposed at run time when node was started without `--expose-gc`. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const gc = exposeGc();

function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Distinct 200-character pieces (no two share a string), ASCII. */
function piece(index: number): string {
  const head = `${index.toString(36)}:`;
  return head + 'abcdefghijklmnopqrstuvwxyz0123456789 '.repeat(6).slice(0, PIECE_CHARS - head.length);
}

function* openaiEvents(count: number): Generator<SseItem> {
  for (let i = 0; i < count; i++) yield { choices: [{ index: 0, delta: { content: piece(i) } }] };
  yield { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
}

function* geminiEvents(count: number): Generator<SseItem> {
  for (let i = 0; i < count; i++) {
    const candidate: Record<string, unknown> = { content: { role: 'model', parts: [{ text: piece(i) }] } };
    if (i === count - 1) candidate.finishReason = 'STOP';
    yield { candidates: [candidate] };
  }
}

let fake: FakeProvider;
let llm: LLM;

beforeAll(async () => {
  fake = await startFakeProvider();
  llm = createLLM({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: ['gpt-4o-mini'],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-1', 'test-key-2'],
        models: ['gemini-2.5-flash'],
      },
    ],
  });
});

afterAll(async () => {
  await llm?.close();
  await fake?.close();
});

interface Measured {
  deltas: number;
  textLength: number;
  /** Live-heap growth over the baseline: the largest sample taken during the stream. */
  duringStream: number;
  /** At the last delta: every piece received, nothing joined yet. */
  atLastDelta: number;
  /** After the stream, holding only the response. */
  withResponse: number;
}

async function measure(
  model: string,
  events: (count: number) => Generator<SseItem>,
  count: number,
): Promise<Measured> {
  fake.enqueue({ sse: events(count) });
  const base = liveHeap();
  const stream = llm.stream('Write 20 MB of text.', { model, timeoutMs: 120_000 });
  let deltas = 0;
  let duringStream = 0;
  let atLastDelta = 0;
  for await (const text of stream.textStream) {
    deltas++;
    if (text.length !== PIECE_CHARS) throw new Error(`delta ${deltas} has ${text.length} characters`);
    if (deltas % SAMPLE_EVERY === 0 || deltas === count) {
      const growth = liveHeap() - base;
      duringStream = Math.max(duringStream, growth);
      if (deltas === count) atLastDelta = growth;
    }
  }
  const response = await stream.response;
  const withResponse = liveHeap() - base;
  return { deltas, textLength: response.text.length, duringStream, atLastDelta, withResponse };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

describe.each([
  { dialect: 'OpenAI', model: 'OpenAI/gpt-4o-mini', events: openaiEvents },
  { dialect: 'Gemini', model: 'Gemini/gemini-2.5-flash', events: geminiEvents },
])('a 20 MB answer in 100,000 chunks ($dialect)', ({ dialect, model, events }) => {
  it('arrives whole, with live-heap growth under 3x the text size', async () => {
    // Warm-up: code loaded and compiled, connection pools made, before the baseline is taken.
    await measure(model, events, 100);

    const result = await measure(model, events, CHUNKS);
    // While the final text is joined, the pieces (atLastDelta) and the joined copies (withResponse)
    // are alive together: their sum bounds the peak the samples cannot see.
    const joinPeak = result.atLastDelta + result.withResponse;
    const peak = Math.max(result.duringStream, joinPeak);
    console.info(
      `${dialect}: text ${mb(TEXT_BYTES)}; live-heap growth: during the stream ≤ ${mb(result.duringStream)}, ` +
        `at the last delta ${mb(result.atLastDelta)}, holding the response ${mb(result.withResponse)}, ` +
        `estimated peak ${mb(peak)} = ${(peak / TEXT_BYTES).toFixed(2)}x (limit 3x)`,
    );
    expect(result.deltas).toBe(CHUNKS);
    expect(result.textLength).toBe(TEXT_BYTES);
    expect(peak).toBeLessThan(LIMIT);
  }, 180_000);
});
