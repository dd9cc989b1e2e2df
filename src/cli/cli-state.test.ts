import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../keys/file-key-store.js';
import { createKeyPool } from '../keys/key-pool.js';
import { type FakeProvider, rateLimitReply, startFakeProvider } from '../testing/index.js';
import { createWorkspace, FAST_RETRY, runCli, type Workspace } from './test-support/cli-harness.js';

const KEYS = ['test-key-state-alpha-a001', 'test-key-state-bravo-b002'];
let fake: FakeProvider;
const workspaces: Workspace[] = [];

beforeAll(async () => {
  fake = await startFakeProvider();
});
beforeEach(() => fake.clearRequests());
afterAll(async () => {
  await fake.close();
  await Promise.all(workspaces.map((ws) => ws.cleanup()));
});

const config = () => ({
  providers: [
    { name: 'OpenAI', apiType: 'openai', apiBase: fake.openaiBase, apiKeys: KEYS, models: ['gpt-4o-mini'] },
  ],
  retry: FAST_RETRY,
});

async function workspace(): Promise<Workspace> {
  const ws = await createWorkspace(config());
  workspaces.push(ws);
  return ws;
}

interface Stats {
  keyId: string;
  status: string;
  totalCalls: number;
}

async function statsOf(ws: Workspace, args: string[] = []): Promise<Stats[]> {
  const run = await ws.run([...args, 'keys', 'OpenAI', '--json']);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as Record<string, Stats[]>).OpenAI ?? [];
}

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard: key state between runs', { timeout: 60_000 }, () => {
  it('one call per run still goes round the keys: each run starts at the least-used key', async () => {
    const ws = await workspace();
    for (let i = 0; i < 4; i++) expect((await ws.run(['chat', `hello ${i}`])).code).toBe(0);
    expect(fake.requests.map((request) => request.apiKey)).toEqual([KEYS[0], KEYS[1], KEYS[0], KEYS[1]]);
    const stats = await statsOf(ws);
    expect(stats.map((key) => [key.status, key.totalCalls])).toEqual([
      ['healthy', 2],
      ['healthy', 2],
    ]);
  });

  it('two configs in one folder keep separate key-state files, named after each config', async () => {
    const ws = await workspace();
    await writeFile(join(ws.dir, 'other.yaml'), JSON.stringify(config()));
    fake.enqueue(rateLimitReply({ retryAfterSeconds: 120 }));
    expect((await ws.run(['chat', 'hello'])).code).toBe(0); // the 429 cools the first key of switchboard.yaml
    expect(existsSync(join(ws.dir, '.switchboard', 'switchboard.yaml.keys.json'))).toBe(true);
    expect((await statsOf(ws)).map((key) => key.status)).toEqual(['cooldown', 'healthy']);
    // other.yaml has its own state: nothing happened there.
    expect((await statsOf(ws, ['--config', 'other.yaml'])).map((key) => key.status)).toEqual([
      'unused',
      'unused',
    ]);
    expect(existsSync(join(ws.dir, '.switchboard', 'key-state.json'))).toBe(false);
  });

  it("a folder from an earlier version: each config starts from the old shared file's state", async () => {
    const ws = await workspace();
    const legacy = join(ws.dir, '.switchboard', 'key-state.json');
    const old = new FileKeyStore({ path: legacy });
    createKeyPool({ provider: 'OpenAI', keys: KEYS, store: old }).report(KEYS[1]!, 'gpt-4o-mini', {
      kind: 'failure',
      code: 'API_KEY_INVALID',
    });
    await old.close();
    expect((await statsOf(ws)).map((key) => key.status)).toEqual(['unused', 'disabled']);
    expect(existsSync(join(ws.dir, '.switchboard', 'switchboard.yaml.keys.json'))).toBe(true);
    expect(existsSync(legacy)).toBe(true); // left for the folder's other configs
  });
});

describe('switchboard doctor --help', { timeout: 60_000 }, () => {
  it('shows the probe time limit in seconds, the unit of the flag', async () => {
    const ws = await workspace();
    const run = await runCli(['doctor', '--help'], { cwd: ws.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--timeout <seconds> +time limit of each probe \(default: 15\)/);
    expect(run.stdout).not.toContain('15000');
  });
});
