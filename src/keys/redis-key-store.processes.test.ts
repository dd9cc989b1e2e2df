import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLLM, type LLM } from '../client/llm.js';
import type { AttemptRecord, KeyStats, LLMConfig } from '../spec/index.js';
import { type FakeProvider, openaiErrorReply, rateLimitReply, startFakeProvider } from '../testing/index.js';
import { hashKey, keyIdOf } from '../util/key-id.js';
import { ChildLLM, distProblem } from './test-support/child-llm.js';
import { inspector, redisUrlOr, testPrefix, useTestRedis, waitFor } from './test-support/redis-kit.js';

// Process A is this one (the sources); process B is a child running the built library (dist/).
const redis = useTestRedis('redis key store, two processes');
const KEYS = ['qv7x-test-key-alpha-zj4m', 'wq8y-test-key-bravo-kp3n', 'jx5r-test-key-charlie-hb6t'];
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  const problem = distProblem();
  // Not a skip: `npm test` builds first, so a missing dist/ is a broken setup.
  if (problem != null) throw new Error(problem);
});

afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

function config(fake: FakeProvider, url: string, prefix: string, keys: string[], proc: string): LLMConfig {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: keys,
        models: ['gpt-4o-mini'],
        headers: { 'x-proc': proc },
      },
    ],
    keyStore: { type: 'redis', url, prefix },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  };
}

async function setup(url: string, keys: string[], handler?: Parameters<typeof startFakeProvider>[0]) {
  const prefix = testPrefix();
  const fake = await startFakeProvider(handler ?? []);
  cleanup.push(() => fake.close());
  const a: LLM = createLLM(config(fake, url, prefix, keys, 'A'));
  cleanup.push(() => a.close());
  const b = new ChildLLM(config(fake, url, prefix, keys, 'B'));
  cleanup.push(() => b.close());
  /** Keys of the requests process `proc` sent, oldest first, from index `from` of the fake's record. */
  const sent = (proc: 'A' | 'B', from = 0) =>
    fake.requests
      .slice(from)
      .filter((request) => request.headers['x-proc'] === proc)
      .map((request) => request.apiKey);
  return { prefix, fake, a, b, sent };
}

const idsOf = (attempts: AttemptRecord[]) => attempts.map((attempt) => attempt.keyId);

describe('redis key store: two processes share one pool', () => {
  it('a 401 seen by A disables the key for B at once; a reset by B re-enables it for A', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const [k0, k1] = KEYS as [string, string];
    const invalid = new Set<string>();
    const { a, b, fake, sent } = await setup(url, [k0, k1], {
      handler: (request) =>
        request.apiKey != null && invalid.has(request.apiKey)
          ? openaiErrorReply(401, { message: 'Incorrect API key provided.', code: 'invalid_api_key' })
          : undefined,
    });
    // B is up and has loaded the shared state before anything goes wrong.
    await b.call('chat', { text: 'warm up' });
    await b.call('chat', { text: 'warm up' });
    invalid.add(k0);
    const attempts = [
      ...((await a.chat('one')).attempts as AttemptRecord[]),
      ...((await a.chat('two')).attempts as AttemptRecord[]),
    ];
    expect(attempts.filter((attempt) => attempt.code === 'API_KEY_INVALID').map((x) => x.keyId)).toEqual([
      keyIdOf(k0),
    ]);
    const mark = fake.requests.length;
    for (let i = 0; i < 4; i++) await b.call('chat', { text: `b ${i}` });
    // B never sent the disabled key: it learnt of the 401 from Redis, not from its own failure.
    expect(sent('B', mark)).toEqual([k1, k1, k1, k1]);
    const stats = await b.call<KeyStats[]>('stats', { provider: 'OpenAI' });
    expect(stats[0]).toMatchObject({
      keyId: keyIdOf(k0),
      status: 'disabled',
      suggestedAction: 'replace key',
    });
    expect(stats[0]!.lastError).toMatch(/^API_KEY_INVALID/);
    invalid.delete(k0);
    await b.call('reset', { provider: 'OpenAI', keyId: keyIdOf(k0) });
    await waitFor(
      async () => (await a.keys.stats('OpenAI'))[0]!.status !== 'disabled',
      10_000,
      'A to see the reset',
    );
    const after = fake.requests.length;
    for (let i = 0; i < 4; i++) await a.chat(`a ${i}`);
    expect(sent('A', after)).toContain(k0);
  });

  // Real time (Redis expires the cooldown by its own clock), but no assertion depends on how fast calls run:
  // each B call is judged by the window it ran in, measured around it. The cooldown was set after the fake
  // answered the 429 (`limitedAt`) and before A's call returned (`setBy`), so it surely runs during
  // [setBy, limitedAt + 3 s) and has surely ended after setBy + 3 s.
  it('a 429 cooldown seen by A is honoured by B until it expires in Redis, then B uses the key again', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const [k0, k1] = KEYS as [string, string];
    const COOLDOWN_MS = 3000;
    let armed = false;
    let limitedAt = 0;
    const { a, b, prefix, fake, sent } = await setup(url, [k0, k1], {
      handler: (request) => {
        if (!armed || request.apiKey !== k0 || request.headers['x-proc'] !== 'A') return undefined;
        armed = false;
        limitedAt = Date.now();
        return rateLimitReply({ retryAfterSeconds: COOLDOWN_MS / 1000 });
      },
    });
    await b.call('chat', { text: 'warm up' });
    armed = true;
    for (let i = 0; i < 2 && armed; i++) await a.chat(`a ${i}`);
    const setBy = Date.now();
    expect(armed).toBe(false);
    const r = inspector(url);
    cleanup.push(() => r.quit());
    const cooldownKey = `${prefix}kp:OpenAI:mc:${hashKey(k0)}:gpt-4o-mini`;
    const ttl = await r.pttl(cooldownKey);
    expect(ttl).toBeLessThanOrEqual(COOLDOWN_MS);
    expect(ttl > 0 || Date.now() >= limitedAt + COOLDOWN_MS).toBe(true);
    // While the cooldown runs, B only uses the other key.
    const inWindow: (string | undefined)[] = [];
    const mark = fake.requests.length;
    for (let i = 0; i < 3 && Date.now() < limitedAt + COOLDOWN_MS; i++) {
      const before = fake.requests.length;
      await b.call('chat', { text: `during ${i}` });
      if (Date.now() < limitedAt + COOLDOWN_MS) inWindow.push(...sent('B', before));
    }
    expect(inWindow.every((key) => key === k1)).toBe(true);
    const statsAt = Date.now();
    const cooling = await b.call<KeyStats[]>('stats', { provider: 'OpenAI' });
    if (Date.now() < limitedAt + COOLDOWN_MS) expect(cooling[0]!.status).toBe('cooldown');
    console.log(
      `[redis cooldown] ${inWindow.length} of ${fake.requests.length - mark} B calls ran inside the cooldown; stats read ${statsAt - limitedAt} ms after the 429`,
    );
    // After it, the key is back for B (and Redis has dropped the cooldown key).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, setBy + COOLDOWN_MS + 50 - Date.now())));
    expect(await r.exists(cooldownKey)).toBe(0);
    const back = fake.requests.length;
    for (let i = 0; i < 4; i++) await b.call('chat', { text: `after ${i}` });
    expect(sent('B', back).filter((key) => key === k0)).toHaveLength(2);
  });

  it('round robin is shared: alternating calls rotate strictly, 60 concurrent calls spread 20/20/20', async (ctx) => {
    const url = redisUrlOr(redis, ctx.skip);
    const { a, b, sent, fake } = await setup(url, KEYS);
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const attempts =
        i % 2 === 0
          ? (await a.chat(`a ${i}`)).attempts
          : await b.call<AttemptRecord[]>('chat', { text: `b ${i}` });
      order.push(...(idsOf(attempts) as string[]));
    }
    expect(order).toEqual([...KEYS, ...KEYS].map(keyIdOf));
    const mark = fake.requests.length;
    const started = Date.now();
    await Promise.all([
      Promise.all(Array.from({ length: 30 }, (_, i) => a.chat(`many ${i}`))),
      b.call('chatMany', { count: 30 }),
    ]);
    const keys = [...sent('A', mark), ...sent('B', mark)];
    expect(keys).toHaveLength(60);
    const counts = KEYS.map((key) => keys.filter((used) => used === key).length);
    console.log(
      `[redis round robin] 60 calls from two processes in ${Date.now() - started} ms: ${counts.join('/')}`,
    );
    expect(counts).toEqual([20, 20, 20]);
    expect(await b.call('warnings')).toEqual([]);
  });
});
