import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { inspector, redisUrlOr, testPrefix, useTestRedis } from '../keys/test-support/redis-kit.js';
import { type FakeProvider, openaiChatReply, startFakeProvider } from '../testing/index.js';
import { hashKey } from '../util/key-id.js';
import {
  disposeGateway,
  eventually,
  type GatewayProcess,
  startGatewayProcess,
} from './test-support/gateway-process.js';
import { rawRequest } from './test-support/in-process.js';

// Two `switchboard serve` processes sharing one redis-server (the key store and the client limits).
const redis = useTestRedis('two gateways on one Redis');
const TOKEN = 'gw-redis-token-6a1f3c8e';
const GOOD = 'test-key-gw-redis-good-0001';
const BAD = 'test-key-gw-redis-bad-0002';
const cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((close) => close()));
});

function config(fake: FakeProvider, url: string, prefix: string, proc: string, rpm?: number): object {
  return {
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: [GOOD, BAD],
        models: ['gpt-4o-mini'],
        headers: { 'x-proc': proc },
      },
    ],
    keyStore: { type: 'redis', url, prefix },
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    gateway: { tokens: [{ name: 'shared', token: TOKEN, ...(rpm != null ? { rpm } : {}) }] },
  };
}

/** `base` with gpt-4o-mini priced at 2000 / 1000 USD per million tokens and a budget of 0.7 USD a day. */
function priced(base: object): object {
  const out = structuredClone(base) as {
    providers: Record<string, unknown>[];
    gateway: { tokens: Record<string, unknown>[] };
  };
  out.providers[0] = {
    ...out.providers[0],
    models: [{ name: 'gpt-4o-mini', pricing: { inputPerMTok: 2000, outputPerMTok: 1000 } }],
  };
  out.gateway.tokens[0] = { ...out.gateway.tokens[0], budgetUsdPerDay: 0.7 };
  return out;
}

async function pair(
  url: string,
  fake: FakeProvider,
  rpm?: number,
): Promise<[GatewayProcess, GatewayProcess, string]> {
  const prefix = testPrefix();
  const [a, b] = await Promise.all([
    startGatewayProcess(config(fake, url, prefix, 'A', rpm)),
    startGatewayProcess(config(fake, url, prefix, 'B', rpm)),
  ]);
  cleanup.push(
    () => disposeGateway(a),
    () => disposeGateway(b),
  );
  return [a, b, prefix];
}

const chat = (gateway: GatewayProcess) =>
  rawRequest(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ model: 'OpenAI/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('switchboard serve: two processes, one Redis', { timeout: 120_000 }, () => {
  it('a token with rpm: 10 gets 10 successes in total across both within the minute, then 429s', async (test) => {
    const url = redisUrlOr(redis, test.skip);
    const fake = await startFakeProvider({ keys: { valid: [GOOD] } });
    cleanup.push(() => fake.close());
    const [a, b] = await pair(url, fake, 10);
    // All at once, alternating between the processes.
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => chat(i % 2 === 0 ? a : b)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(6);
    for (const answer of answers.filter((item) => item.status === 429)) {
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(answer.body).error.code).toBe('rate_limit_exceeded');
    }
    // Both processes admitted some: the window is shared, not split.
    const served = (gateway: GatewayProcess) =>
      gateway.accessLines().filter((line) => line.status === 200).length;
    await eventually(() => served(a) + served(b) === 10, 10_000, 'the access-log lines');
    expect(served(a)).toBeGreaterThan(0);
    expect(served(b)).toBeGreaterThan(0);
    expect(`${a.stdout()}${a.stderr()}${b.stdout()}${b.stderr()}`).not.toContain(TOKEN);
  });

  it('spend recorded through one counts toward the budget the other checks (one budget per token)', async (test) => {
    const url = redisUrlOr(redis, test.skip);
    // 100 prompt + 50 completion tokens at 2000 / 1000 USD per million: 0.25 USD a request.
    const fake = await startFakeProvider({
      handler: () => openaiChatReply('priced', { usage: { promptTokens: 100, completionTokens: 50 } }),
    });
    cleanup.push(() => fake.close());
    const prefix = testPrefix();
    const [a, b] = await Promise.all([
      startGatewayProcess(priced(config(fake, url, prefix, 'A'))),
      startGatewayProcess(priced(config(fake, url, prefix, 'B'))),
    ]);
    cleanup.push(
      () => disposeGateway(a),
      () => disposeGateway(b),
    );
    for (let i = 0; i < 3; i++) expect((await chat(a)).status).toBe(200);
    // A adds its rows in the background (one Lua script each): wait until Redis holds all three.
    const look = inspector(url);
    cleanup.push(async () => look.disconnect());
    const day = new Date().toISOString().slice(0, 10);
    const row = `${prefix}sp:d:${day}:shared`;
    await eventually(
      async () => Number(await look.hget(row, 'OpenAI%2Fgpt-4o-mini|c')) === 3,
      10_000,
      'the spend rows in Redis',
    );
    expect(Number(await look.hget(row, 'OpenAI%2Fgpt-4o-mini|u'))).toBeCloseTo(0.75, 9);

    // B never served this token, yet refuses it: 0.75 USD spent of 0.7.
    const refused = await chat(b);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error).toMatchObject({
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(refused.headers['x-should-retry']).toBe('false');
    expect((await chat(a)).status).toBe(429);
    expect(fake.requests).toHaveLength(3);
  });

  it('a key disabled through one gateway is never used by the other', async (test) => {
    const url = redisUrlOr(redis, test.skip);
    const fake = await startFakeProvider({ keys: { invalid: [BAD] } });
    cleanup.push(() => fake.close());
    const [a, b, prefix] = await pair(url, fake);
    // Through A until A has met the bad key (round robin: within two requests); it is disabled then.
    for (let i = 0; i < 4 && !fake.requests.some((request) => request.apiKey === BAD); i++) {
      expect((await chat(a)).status).toBe(200);
    }
    expect(fake.requests.some((request) => request.apiKey === BAD && request.headers['x-proc'] === 'A')).toBe(
      true,
    );
    const look = inspector(url);
    cleanup.push(async () => look.disconnect());
    const record = `${prefix}kp:OpenAI:k:${hashKey(BAD)}`;
    await eventually(() => false, 0).catch(() => undefined);
    let disabled = false;
    await eventually(
      () => {
        void look.hget(record, 'dis').then((value) => {
          disabled = value === '1';
        });
        return disabled;
      },
      10_000,
      'the disabled key in Redis',
    );

    const fromB = fake.requests.length;
    for (let i = 0; i < 10; i++) expect((await chat(b)).status).toBe(200);
    const keysOfB = fake.requests.slice(fromB).map((request) => request.apiKey);
    expect(keysOfB).toHaveLength(10);
    expect(keysOfB).not.toContain(BAD);
  });
});

describe('switchboard serve: a Redis password stays secret', { timeout: 120_000 }, () => {
  it('never in a response, log line or metric (right and wrong password)', async (test) => {
    const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
    if (probe.status !== 0) test.skip('redis-server is not installed');
    const password = 'gw-redis-secret-pass-91c2';
    const port = await freePort();
    const server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--requirepass',
        password,
      ],
      { stdio: 'ignore' },
    );
    cleanup.push(async () => {
      server.kill('SIGTERM');
    });
    const look = inspector(`redis://:${password}@127.0.0.1:${port}`);
    cleanup.push(async () => look.disconnect());
    await eventually(async () => (await look.ping().catch(() => '')) === 'PONG', 10_000, 'redis-server');
    const fake = await startFakeProvider();
    cleanup.push(() => fake.close());
    const texts: string[] = [];
    for (const given of [password, 'gw-redis-wrong-pass-55d0']) {
      const url = `redis://:${given}@127.0.0.1:${port}`;
      // Priced, with a budget: the cost metric and the spend ledger are in play too.
      const gateway = await startGatewayProcess(priced(config(fake, url, testPrefix(), 'A', 5)));
      cleanup.push(() => disposeGateway(gateway));
      texts.push((await chat(gateway)).body, (await chat(gateway)).body);
      const metrics = await rawRequest(`${gateway.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      texts.push(metrics.body, (await rawRequest(`${gateway.url}/ready`)).body);
      await gateway.stop();
      texts.push(gateway.stdout(), gateway.stderr());
    }
    const all = texts.join('\n');
    expect(all).toContain('echo: hi'); // the right password served
    expect(all).toContain('[REDACTED]'); // the wrong one was reported, masked
    expect(all).toContain('switchboard_gateway_cost_usd_total{model="OpenAI/gpt-4o-mini",token="shared"}');
    for (const secret of [password, 'gw-redis-wrong-pass-55d0', TOKEN, GOOD, BAD])
      expect(all).not.toContain(secret);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address != null ? address.port : 0));
    });
  });
}
