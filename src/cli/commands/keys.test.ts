import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  openaiStreamReply,
  rateLimitReply,
  startFakeProvider,
} from '../../testing/index.js';
import { createWorkspace, FAST_RETRY, type Workspace } from '../test-support/cli-harness.js';

let fake: FakeProvider;
let ws: Workspace;

beforeAll(async () => {
  fake = await startFakeProvider();
  ws = await createWorkspace({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-keys-first-0001', 'test-key-keys-second-0002'],
        models: ['gpt-4o-mini'],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-3'],
        models: ['gemini-2.5-flash'],
      },
    ],
    retry: FAST_RETRY,
  });
});

afterAll(async () => {
  await fake.close();
  await ws.cleanup();
});

interface Stats {
  keyId: string;
  status: string;
  cooldownSecondsLeft: number;
  totalCalls: number;
  lastError?: string;
}

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard keys', { timeout: 60_000 }, () => {
  it('shows unused keys of every provider before any call', async () => {
    const run = await ws.run(['keys']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OpenAI \(2 keys\)$/m);
    expect(run.stdout).toMatch(/^Gemini \(1 key\)$/m);
    expect(run.stdout).toMatch(/^ {2}KEY +STATUS +COOLDOWN +CALLS +SUCCESS +LATENCY +LAST ERROR +ACTION$/m);
    expect(run.stdout).toMatch(/^ {2}test…0001 +unused +- +0 +- +- +- +-$/m);
    expect(run.stdout).toMatch(/^ {2}key#[0-9a-f]{6} +unused/m); // a short key: hash id, not its ends
  });

  it('persists a 429 cooldown in the file beside the config, shown by a second run', async () => {
    fake.enqueue(
      rateLimitReply({ retryAfterSeconds: 120 }),
      openaiStreamReply(['answered by ', 'the other key']),
    );
    const limitedFrom = Date.now(); // the cooldown starts after this…
    const chat = await ws.run(['chat', 'hello']);
    expect(chat).toMatchObject({ code: 0, stdout: 'answered by the other key\n' });
    expect(existsSync(join(ws.dir, '.switchboard', 'switchboard.yaml.keys.json'))).toBe(true);

    const table = await ws.run(['keys', 'openai']);
    // …and is read before this: its remaining time lies between 120 s minus the elapsed time and 120 s,
    // however slowly the two runs went.
    const elapsedS = Math.ceil((Date.now() - limitedFrom) / 1000);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain('Gemini');
    // Today's recorded spend of the provider (one call; no pricing configured, so no cost).
    expect(table.stdout).toMatch(/^OpenAI \(2 keys, today 1 call\)$/m);
    // Worst first: the rate-limited key in cooldown, then the healthy one.
    const rows = table.stdout.split('\n').filter((line) => line.startsWith('  test…'));
    expect(rows).toHaveLength(2);
    const cooledRow =
      /^ {2}test…000\d +cooldown +(\d+)m (\d+)s +1 +0% +- +API_RATE_LIMITED.* +wait \/ reset$/.exec(
        rows[0] ?? '',
      );
    expect(cooledRow, rows[0]).not.toBeNull();
    const shownS = Number(cooledRow?.[1]) * 60 + Number(cooledRow?.[2]);
    expect(shownS).toBeLessThanOrEqual(120);
    expect(shownS).toBeGreaterThanOrEqual(120 - elapsedS - 1);
    expect(rows[1]).toMatch(/^ {2}test…000\d +healthy +- +1 +100% +\d+ ms +- +-$/);

    const json = await ws.run(['keys', 'OpenAI', '--json']);
    const jsonElapsedS = Math.ceil((Date.now() - limitedFrom) / 1000);
    const stats = (JSON.parse(json.stdout) as Record<string, Stats[]>).OpenAI ?? [];
    const cooled = stats.find((key) => key.status === 'cooldown');
    expect(cooled?.cooldownSecondsLeft).toBeLessThanOrEqual(120);
    expect(cooled?.cooldownSecondsLeft).toBeGreaterThanOrEqual(120 - jsonElapsedS - 1);
    expect(cooled?.lastError).toMatch(/^API_RATE_LIMITED/);
  });

  it('colours the status only when colours are on', async () => {
    const plain = await ws.run(['keys', 'OpenAI']);
    expect(plain.stdout).not.toContain('\x1b[');
    const colored = await ws.run(['keys', 'OpenAI'], { env: { FORCE_COLOR: '1' } });
    expect(colored.stdout).toContain('\x1b[33mcooldown\x1b[39m');
    expect(colored.stdout).toContain('\x1b[32mhealthy\x1b[39m');
  });

  it('resets one key by its masked id, then all keys of a provider', async () => {
    const before = JSON.parse((await ws.run(['keys', 'OpenAI', '--json'])).stdout) as Record<string, Stats[]>;
    const cooled = before.OpenAI?.find((key) => key.status === 'cooldown');
    expect(cooled).toBeDefined();
    const one = await ws.run(['keys', 'reset', 'openai', cooled?.keyId ?? '']);
    expect(one).toMatchObject({ code: 0, stdout: `reset key ${cooled?.keyId} of OpenAI\n` });
    const after = JSON.parse((await ws.run(['keys', 'OpenAI', '--json'])).stdout) as Record<string, Stats[]>;
    // Cooldown cleared; the counts are kept (1 call, 0 % success → status `error` until it succeeds again).
    expect(after.OpenAI?.find((key) => key.keyId === cooled?.keyId)).toMatchObject({
      status: 'error',
      cooldownSecondsLeft: 0,
      totalCalls: 1,
    });

    const all = await ws.run(['keys', 'reset', 'OpenAI']);
    expect(all).toMatchObject({ code: 0, stdout: 'reset 2 keys of OpenAI\n' });
  });

  it('accepts three dots for the ellipsis of a key id', async () => {
    const typed = await ws.run(['keys', 'reset', 'OpenAI', 'test...0002']);
    expect(typed).toMatchObject({ code: 0, stdout: 'reset key test…0002 of OpenAI\n' });
  });

  it('names unknown providers and key ids', async () => {
    const provider = await ws.run(['keys', 'Nope']);
    expect(provider.code).toBe(1);
    expect(provider.stderr).toContain('Unknown provider "Nope" (configured: OpenAI, Gemini)');
    const key = await ws.run(['keys', 'reset', 'OpenAI', 'key#000000']);
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('No key "key#000000" in provider OpenAI (keys: test…0001, test…0002)');
  });
});
