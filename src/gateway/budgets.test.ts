import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMConfig } from '../spec/index.js';
import {
  type FakeProvider,
  openaiChatReply,
  openaiStreamReply,
  startFakeProvider,
} from '../testing/index.js';
import { rawRequest, startTestGateway, type TestGateway } from './test-support/in-process.js';

// Daily budgets, spend rows and the cost metric of a gateway in this process (memory key store, injected clock).
const CAPPED = 'gw-budget-capped-token-1a2b3c';
const OTHER = 'gw-budget-other-token-4d5e6f';
const KEY = 'test-key-gw-budget-0001';
/** USD per million tokens: 100 prompt + 50 completion tokens cost 100 × 2000 / 1e6 + 50 × 1000 / 1e6 = 0.25. */
const PRICING = { inputPerMTok: 2000, outputPerMTok: 1000 };
const USAGE = { promptTokens: 100, completionTokens: 50 };
const PER_REQUEST_USD = 0.25;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

/** A fake answering every chat with `USAGE` (JSON, or a stream with a usage chunk). */
async function pricedFake(): Promise<FakeProvider> {
  const fake = await startFakeProvider({
    handler: (request) => {
      const body = request.body as { stream?: boolean } | undefined;
      if (!request.path.endsWith('/chat/completions')) return undefined;
      return body?.stream === true
        ? openaiStreamReply(['priced ', 'answer'], { usage: USAGE })
        : openaiChatReply('priced answer', { usage: USAGE });
    },
  });
  cleanup.push(() => fake.close());
  return fake;
}

function config(fake: FakeProvider, extra: Partial<LLMConfig> = {}): LLMConfig {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: [KEY],
        models: [{ name: 'gpt-4o-mini', pricing: PRICING }],
      },
    ],
    retry: { maxRetries: 0 },
    gateway: {
      tokens: [
        { name: 'capped', token: CAPPED, budgetUsdPerDay: 0.7 },
        { name: 'other', token: OTHER, budgetUsdPerDay: 0.7 },
      ],
    },
    ...extra,
  };
}

async function gatewayOf(cfg: LLMConfig, now?: () => number): Promise<TestGateway> {
  const gw = await startTestGateway(cfg, now != null ? { now } : {});
  cleanup.push(() => gw.close());
  return gw;
}

const sdk = (gw: TestGateway, token: string, maxRetries = 0) =>
  new OpenAI({ apiKey: token, baseURL: `${gw.url}/v1`, maxRetries, timeout: 30_000 });

const ask = (gw: TestGateway, token: string) =>
  sdk(gw, token).chat.completions.create({
    model: 'OpenAI/gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi' }],
  });

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The value of one sample of the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((item) => item.startsWith(`${name}{${labels}} `));
  return line != null ? Number(line.slice(line.lastIndexOf(' ') + 1)) : undefined;
}

describe('gateway budgets (budgetUsdPerDay) over the key store ledger', () => {
  it('requests pass until the day’s spend reaches the budget, then 429 insufficient_quota until 00:00 UTC', async () => {
    const fake = await pricedFake();
    // 21:30 UTC: 2.5 hours (9000 s) to the next UTC midnight.
    let now = Date.UTC(2027, 2, 14, 21, 30);
    const gw = await gatewayOf(config(fake), () => now);

    // 0 → 0.25 → 0.5 → 0.75 USD: three requests pass (JSON, stream, JSON); at 0.75 ≥ 0.7 the fourth is refused.
    expect((await ask(gw, CAPPED)).choices[0]?.message.content).toBe('priced answer');
    const stream = await sdk(gw, CAPPED).chat.completions.create({
      model: 'OpenAI/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe('priced answer');
    await ask(gw, CAPPED);
    const upstream = fake.requests.length;

    // Through the official SDK: its RateLimitError, code insufficient_quota, retry-after to midnight, and
    // no retries although the SDK would retry a 429 twice by default (x-should-retry: false).
    const refused = await failure(
      sdk(gw, CAPPED, 2).chat.completions.create({
        model: 'OpenAI/gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('insufficient_quota');
    expect(refused.type).toBe('insufficient_quota');
    expect(refused.message).toContain('"capped" has spent its daily budget (0.75 of 0.7 USD)');
    expect(refused.headers?.get('retry-after')).toBe('9000');
    expect(refused.headers?.get('retry-after-ms')).toBe('9000000');
    expect(fake.requests.length).toBe(upstream);
    const refusals = (await gw.lines()).filter((line) => line.status === 429);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ token: 'capped', error: 'insufficient_quota' });

    // Another token has its own budget.
    expect((await ask(gw, OTHER)).choices[0]?.message.content).toBe('priced answer');

    // The ledger holds one row per (day, model, client), with the hand-computed cost; refusals are not rows.
    const spend = gw.llm.context.keyPools.store.spend;
    const rows = await spend?.totals({ day: '2027-03-14' });
    expect(
      rows?.map((row) => [row.client, row.calls, row.errors, row.promptTokens, row.completionTokens]),
    ).toEqual([
      ['capped', 3, 0, 300, 150],
      ['other', 1, 0, 100, 50],
    ]);
    expect(rows?.[0]?.costUsd).toBeCloseTo(3 * PER_REQUEST_USD, 12);

    // One millisecond before midnight: still refused (retry-after rounds up to 1 s); at midnight: a new day.
    now = Date.UTC(2027, 2, 14, 23, 59, 59, 999);
    expect((await failure(ask(gw, CAPPED))).headers?.get('retry-after')).toBe('1');
    now = Date.UTC(2027, 2, 15, 0, 0, 0);
    expect((await ask(gw, CAPPED)).choices[0]?.message.content).toBe('priced answer');
    const today = await spend?.totals({ day: '2027-03-15', client: 'capped' });
    expect(today?.map((row) => row.calls)).toEqual([1]);
  });

  it('/metrics counts the cost by model and token name (the sum of response.cost), and holds no secret', async () => {
    const fake = await pricedFake();
    const gw = await gatewayOf(config(fake, { gateway: { tokens: [{ name: 'capped', token: CAPPED }] } }));
    for (let i = 0; i < 3; i++) await ask(gw, CAPPED);
    const metrics = await rawRequest(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${CAPPED}` } });
    expect(metrics.status).toBe(200);
    const labels = 'model="OpenAI/gpt-4o-mini",token="capped"';
    expect(sample(metrics.body, 'switchboard_gateway_cost_usd_total', labels)).toBeCloseTo(0.75, 12);
    expect(sample(metrics.body, 'switchboard_gateway_tokens_total', `${labels},kind="prompt"`)).toBe(300);
    expect(metrics.body).toContain('# TYPE switchboard_gateway_cost_usd_total counter');
    for (const secret of [CAPPED, KEY]) expect(metrics.body).not.toContain(secret);
  });

  it('an unpriced model records rows with cost 0 and leaves the cost metric out', async () => {
    const fake = await pricedFake();
    const cfg = config(fake);
    cfg.providers[0] = { ...cfg.providers[0], models: ['gpt-4o-mini'] } as (typeof cfg.providers)[0];
    const gw = await gatewayOf(cfg);
    for (let i = 0; i < 4; i++) await ask(gw, CAPPED);
    const rows = await gw.llm.context.keyPools.store.spend?.totals({ client: 'capped' });
    expect(rows?.map((row) => [row.calls, row.costUsd])).toEqual([[4, 0]]);
    const metrics = await rawRequest(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${CAPPED}` } });
    expect(metrics.body).not.toContain('switchboard_gateway_cost_usd_total{');
  });

  it('a failed request is a row with errors: 1 and no cost; a token without a budget is never refused', async () => {
    const fake = await startFakeProvider({
      handler: () => ({ json: { error: { message: 'upstream exploded' } }, status: 500 }),
    });
    cleanup.push(() => fake.close());
    const gw = await gatewayOf(config(fake, { gateway: { tokens: [{ name: 'free', token: OTHER }] } }));
    expect((await failure(ask(gw, OTHER))).status).toBe(502);
    const rows = await gw.llm.context.keyPools.store.spend?.totals({ client: 'free' });
    expect(rows?.map((row) => [row.model, row.calls, row.errors, row.costUsd])).toEqual([
      ['OpenAI/gpt-4o-mini', 1, 1, 0],
    ]);
  });
});

describe('gateway: models configured available: false', () => {
  it('are not listed, 404 by id, and a chat naming one (or a route of only such) gets 404 model_not_found', async () => {
    const fake = await pricedFake();
    const gw = await gatewayOf({
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: [KEY],
          models: ['gpt-4o-mini', { name: 'retired', available: false, unavailableReason: 'quota used up' }],
        },
      ],
      routes: [
        { name: 'dead', targets: ['OpenAI/retired'] },
        { name: 'live', targets: ['OpenAI/retired', 'OpenAI/gpt-4o-mini'] },
      ],
      retry: { maxRetries: 0 },
      gateway: { tokens: [{ name: 'main', token: CAPPED }] },
    });
    const client = sdk(gw, CAPPED);
    const listed = [];
    for await (const model of client.models.list()) listed.push(model.id);
    expect(listed).toEqual(['OpenAI/gpt-4o-mini', 'live']);
    for (const id of ['OpenAI/retired', 'dead']) {
      const missing = await failure(client.models.retrieve(id));
      expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
      expect(missing.code).toBe('model_not_found');
    }
    expect((await client.models.retrieve('live')).id).toBe('live');

    for (const model of ['OpenAI/retired', 'dead']) {
      const refused = await failure(
        client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(refused).toBeInstanceOf(OpenAI.NotFoundError);
      expect(refused.code).toBe('model_not_found');
      expect(refused.param).toBe('model');
    }
    expect(fake.requests).toHaveLength(0);
    // A route with an available target still answers.
    const answer = await client.chat.completions.create({
      model: 'live',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.model).toBe('OpenAI/gpt-4o-mini');
  });
});
