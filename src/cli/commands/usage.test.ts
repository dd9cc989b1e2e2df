import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeGateway, startGatewayProcess } from '../../gateway/test-support/gateway-process.js';
import { rawRequest } from '../../gateway/test-support/in-process.js';
import {
  type FakeProvider,
  openaiChatReply,
  openaiStreamReply,
  startFakeProvider,
} from '../../testing/index.js';
import { createWorkspace, FAST_RETRY, type Workspace } from '../test-support/cli-harness.js';

let fake: FakeProvider;
let ws: Workspace;
let memory: Workspace;

const PRICING = { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 };

beforeAll(async () => {
  fake = await startFakeProvider();
  const providers = [
    {
      name: 'OpenAI',
      apiType: 'openai',
      apiBase: fake.openaiBase,
      apiKeys: ['test-key-usage-openai-0001'],
      models: [{ name: 'gpt-4o-mini', pricing: PRICING }, 'gpt-4.1-nano'],
    },
  ];
  ws = await createWorkspace({ providers, retry: FAST_RETRY });
  memory = await createWorkspace({ providers, retry: FAST_RETRY, keyStore: 'memory' });
});

afterAll(async () => {
  await fake.close();
  await ws.cleanup();
  await memory.cleanup();
});

interface UsageJson {
  rows: {
    day: string;
    model: string;
    client?: string;
    calls: number;
    promptTokens: number;
    costUsd: number;
  }[];
  total: { calls: number; costUsd: number; promptTokens: number; completionTokens: number };
}

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard usage (and usage in chat --json and models)', { timeout: 60_000 }, () => {
  it('chat --json includes the usage and the cost of the call', async () => {
    fake.enqueue(openaiChatReply('priced answer', { usage: { promptTokens: 1000, completionTokens: 100 } }));
    const run = await ws.run(['chat', '--json', 'hello']);
    expect(run.code).toBe(0);
    const response = JSON.parse(run.stdout) as { usage: unknown; cost: { totalUsd: number } };
    expect(response.usage).toMatchObject({ promptTokens: 1000, completionTokens: 100, totalTokens: 1100 });
    // 1000 × 0.15 / 1e6 + 100 × 0.6 / 1e6
    expect(response.cost.totalUsd).toBeCloseTo(0.00021, 12);
  });

  // Counts the runs of this file so far (the chat of the test above included): they share the state file.
  it('shows the spend the runs recorded in the state file: by day and model, with a total', async () => {
    fake.enqueue(
      openaiStreamReply(['streamed ', 'answer'], { usage: { promptTokens: 2000, completionTokens: 200 } }),
      openaiChatReply('unpriced', { usage: { promptTokens: 5, completionTokens: 1 } }),
    );
    expect((await ws.run(['chat', 'again'])).code).toBe(0);
    expect((await ws.run(['chat', '-m', 'OpenAI/gpt-4.1-nano', '--json', 'cheap'])).code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);

    const json = await ws.run(['usage', '--json']);
    expect(json.code).toBe(0);
    const usage = JSON.parse(json.stdout) as UsageJson;
    expect(usage.rows.map((row) => [row.day, row.model, row.client, row.calls, row.promptTokens])).toEqual([
      [today, 'OpenAI/gpt-4.1-nano', undefined, 1, 5],
      [today, 'OpenAI/gpt-4o-mini', undefined, 2, 3000],
    ]);
    expect(usage.rows[1]?.costUsd).toBeCloseTo((3000 * 0.15 + 300 * 0.6) / 1e6, 12);
    expect(usage.total).toMatchObject({ calls: 3, promptTokens: 3005, completionTokens: 301 });

    const table = await ws.run(['usage', '--day', today]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^DAY +MODEL +CLIENT +CALLS +ERRORS +PROMPT +CACHED +COMPLETION +REASONING +COST USD$/,
    );
    expect(lines[2]).toMatch(
      new RegExp(`^${today} +OpenAI/gpt-4o-mini +- +2 +0 +3000 +0 +300 +0 +\\$0\\.000630$`),
    );
    expect(lines.at(-1)).toMatch(/^TOTAL +3 +0 +3005 +0 +301 +0 +\$0\.000630$/);

    const none = await ws.run(['usage', '--client', 'team-a']);
    expect(none).toMatchObject({ code: 0, stdout: 'No spend recorded for client team-a (store: file).\n' });
    const recent = JSON.parse((await ws.run(['usage', '--days', '1', '--json'])).stdout) as UsageJson;
    expect(recent.total.calls).toBe(3);
  });

  it('models shows the prices where configured', async () => {
    const run = await ws.run(['models']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ IN \/MTOK +OUT \/MTOK$/m);
    expect(run.stdout).toMatch(/OpenAI\/gpt-4o-mini .* \$0\.15 \(\$0\.075 cached\) +\$0\.6$/m);
    expect(run.stdout).toMatch(/OpenAI\/gpt-4\.1-nano .* - +-$/m);
  });

  it('requests through switchboard serve are recorded once each, under their client token, with the cost', async () => {
    const tokens = { a: 'gw-usage-token-team-a-7c1e', b: 'gw-usage-token-team-b-93d0' };
    const config = {
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: ['test-key-usage-openai-0001'],
          models: [{ name: 'gpt-4o-mini', pricing: PRICING }],
        },
      ],
      retry: FAST_RETRY,
      gateway: {
        tokens: [
          { name: 'team-a', token: tokens.a },
          { name: 'team-b', token: tokens.b },
        ],
      },
    };
    const served = await createWorkspace(config);
    const gateway = await startGatewayProcess(config, { dir: served.dir });
    try {
      const usage = { promptTokens: 1000, completionTokens: 100 };
      fake.enqueue(
        openaiChatReply('a1', { usage }),
        openaiChatReply('a2', { usage }),
        openaiChatReply('b1', { usage }),
      );
      for (const token of [tokens.a, tokens.a, tokens.b]) {
        const answer = await rawRequest(`${gateway.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({ model: 'OpenAI/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(answer.status).toBe(200);
      }
      expect(await gateway.stop()).toBe(0); // the drain writes the state file
      const today = new Date().toISOString().slice(0, 10);
      const json = JSON.parse((await served.run(['usage', '--json'])).stdout) as UsageJson;
      // No library row (client undefined) beside them: each request is one row of its token.
      expect(json.rows.map((row) => [row.day, row.model, row.client, row.calls, row.promptTokens])).toEqual([
        [today, 'OpenAI/gpt-4o-mini', 'team-a', 2, 2000],
        [today, 'OpenAI/gpt-4o-mini', 'team-b', 1, 1000],
      ]);
      // 1000 × 0.15 / 1e6 + 100 × 0.6 / 1e6 = 0.00021 a request
      expect(json.rows[0]?.costUsd).toBeCloseTo(0.00042, 12);
      expect(json.total).toMatchObject({ calls: 3, promptTokens: 3000, completionTokens: 300 });
      expect(json.total.costUsd).toBeCloseTo(0.00063, 12);
      const table = await served.run(['usage', '--client', 'team-b']);
      expect(table.stdout).toMatch(
        new RegExp(`^${today} +OpenAI/gpt-4o-mini +team-b +1 +0 +1000 +0 +100 +0 +\\$0\\.000210$`, 'm'),
      );
    } finally {
      await disposeGateway(gateway, true);
      await served.cleanup();
    }
  });

  it('a memory key store: a clear message (nothing is persisted), exit 1; bad flags are named', async () => {
    const run = await memory.run(['usage']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("The key store is 'memory': nothing is persisted");
    const bad = await ws.run(['usage', '--day', '2025-02-30']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('must be a day as YYYY-MM-DD');
    const both = await ws.run(['usage', '--day', '2025-02-03', '--days', '2']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--day or --days, not both');
  });
});
