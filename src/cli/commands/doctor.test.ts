import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  geminiErrorReply,
  rateLimitReply,
  startFakeProvider,
} from '../../testing/index.js';
import { createWorkspace, type Workspace } from '../test-support/cli-harness.js';

const GOOD = 'test-key-doctor-good-01';
const INVALID = 'test-key-doctor-invalid-02';
const SECOND = 'test-key-doctor-good-03';
const GEMINI = 'test-key-doctor-gemini-04';
const EMBED = 'test-key-doctor-embed-05';
const IMAGE = 'test-key-doctor-image-06';
const LIMITED = 'test-key-doctor-limited-07';
const STALL = 'test-key-doctor-stall-08';
const LOCATION = 'test-key-doctor-location-09';

let fake: FakeProvider;
const workspaces: Workspace[] = [];

beforeAll(async () => {
  fake = await startFakeProvider({
    keys: { invalid: [INVALID] },
    handler: (request) => {
      if (request.apiKey === LIMITED) return rateLimitReply();
      if (request.apiKey === STALL) return { stall: true };
      if (request.apiKey === LOCATION) {
        return geminiErrorReply(
          400,
          'FAILED_PRECONDITION',
          'User location is not supported for the API use.',
        );
      }
      return undefined;
    },
  });
});

afterAll(async () => {
  await fake.close();
  await Promise.all(workspaces.map((ws) => ws.cleanup()));
});

async function workspace(config: object | string): Promise<Workspace> {
  const ws = await createWorkspace(config);
  workspaces.push(ws);
  return ws;
}

const openai = (keys: string[]) => ({
  name: 'OpenAI',
  apiType: 'openai',
  apiBase: fake.openaiBase,
  apiKeys: keys,
  models: ['gpt-4o-mini', { name: 'text-embedding-3-small', embedding: true }],
});

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard doctor', { timeout: 60_000 }, () => {
  it('probes every key on its own, finds the invalid one among good ones, and exits 1', async () => {
    const ws = await workspace({
      providers: [
        openai([GOOD, INVALID, SECOND]),
        {
          name: 'Gemini',
          apiType: 'gemini',
          apiBase: fake.geminiBase,
          apiKeys: [GEMINI],
          models: ['gemini-2.5-flash'],
        },
        {
          name: 'Embed',
          apiType: 'openai',
          apiBase: fake.openaiBase,
          apiKeys: [EMBED],
          models: [{ name: 'text-embedding-3-large', embedding: true }],
        },
        {
          name: 'Images',
          apiType: 'openai_image',
          apiBase: fake.openaiBase,
          apiKeys: [IMAGE],
          models: ['gpt-image-1'],
        },
      ],
    });
    fake.clearRequests();
    const run = await ws.run(['doctor']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`✓ config ${ws.configFile}: 4 providers, 5 models`);
    expect(lines[1]).toBe('probing 6 keys (timeout 15 s each)');
    expect(lines[2]).toMatch(/^ {2}✓ OpenAI +test…d-01 +ok +OpenAI\/gpt-4o-mini \(chat, \d+ ms\)$/);
    expect(lines[3]).toMatch(
      /^ {2}✗ OpenAI +test…d-02 +invalid +The provider rejected the API key; replace it in your config, then run `switchboard keys reset OpenAI \[keyId\]`\.$/,
    );
    expect(lines[4]).toMatch(/^ {2}✓ OpenAI +test…d-03 +ok +OpenAI\/gpt-4o-mini \(chat, \d+ ms\)$/);
    expect(lines[5]).toMatch(/^ {2}✓ Gemini +test…i-04 +ok +Gemini\/gemini-2\.5-flash \(chat, \d+ ms\)$/);
    expect(lines[6]).toMatch(
      /^ {2}✓ Embed +test…d-05 +ok +Embed\/text-embedding-3-large \(embedding, \d+ ms\)$/,
    );
    expect(lines[7]).toMatch(/^ {2}- Images +test…e-06 +skipped +image-only provider/);
    expect(lines[8]).toBe('6 keys: 4 ok, 1 broken, 1 skipped');
    // One request per probed key (no rotation, no retry), each a 1-token chat or a one-word embedding.
    expect(fake.requests.map((request) => request.apiKey).sort()).toEqual(
      [EMBED, GEMINI, GOOD, INVALID, SECOND].sort(),
    );
    const chat = fake.requests.find((request) => request.apiKey === GOOD)?.body as Record<string, unknown>;
    expect(chat.max_tokens ?? chat.max_completion_tokens).toBe(1);
    const gemini = fake.requests.find((request) => request.apiKey === GEMINI)?.body as {
      generationConfig: Record<string, unknown>;
    };
    expect(gemini.generationConfig.maxOutputTokens).toBe(1);
    expect(fake.requests.find((request) => request.apiKey === EMBED)?.path).toBe('/v1/embeddings');
  });

  it('exits 0 when every key works, and counts a rate-limited key as a warning, not broken', async () => {
    const ws = await workspace({ providers: [openai([GOOD, LIMITED])] });
    const run = await ws.run(['doctor']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}! OpenAI +test…d-07 +rate-limited +Too many requests/m);
    expect(run.stdout).toMatch(/2 keys: 1 ok, 1 rate-limited\n$/);
  });

  it('tells unreachable, timed-out and location-blocked keys apart, each within its timeout', async () => {
    const ws = await workspace({
      providers: [
        {
          name: 'Down',
          apiType: 'openai',
          apiBase: 'http://127.0.0.1:9/v1',
          apiKeys: ['test-key-doctor-down-10'],
          models: ['gpt-4o-mini'],
        },
        openai([STALL]),
        {
          name: 'Gemini',
          apiType: 'gemini',
          apiBase: fake.geminiBase,
          apiKeys: [LOCATION],
          models: ['gemini-2.5-flash'],
        },
      ],
    });
    // The stalled key never gets an answer: its `timeout` row can only come from the probe's time limit
    // (no elapsed-time bound: that would measure the machine, not the CLI).
    const run = await ws.run(['doctor', '--timeout', '1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('probing 3 keys (timeout 1 s each)');
    expect(run.stdout).toMatch(/^ {2}✗ Down +test…n-10 +unreachable +\S/m);
    expect(run.stdout).toMatch(/^ {2}✗ OpenAI +test…l-08 +timeout +The AI service timed out/m);
    expect(run.stdout).toMatch(
      /^ {2}✗ Gemini +test…n-09 +location-not-supported +Your network location is not supported/m,
    );
    expect(run.stdout).toMatch(/3 keys: 0 ok, 3 broken\n$/);
  });

  it("does not count loading the HTTP client against the first probe's time limit", async () => {
    const ws = await workspace({
      providers: [
        {
          name: 'Down',
          apiType: 'openai',
          apiBase: 'http://127.0.0.1:9/v1',
          apiKeys: ['test-key-doctor-down-11'],
          models: ['gpt-4o-mini'],
        },
      ],
    });
    // undici (imported by a process's first request) made to load for 1.5 s: longer than the 1 s limit.
    await writeFile(
      join(ws.dir, 'slow-undici-hooks.mjs'),
      `export async function resolve(specifier, context, next) {
  if (specifier === 'undici') await new Promise((done) => setTimeout(done, 1500));
  return next(specifier, context);
}
`,
    );
    await writeFile(
      join(ws.dir, 'slow-undici.mjs'),
      "import { register } from 'node:module';\nregister('./slow-undici-hooks.mjs', import.meta.url);\n",
    );
    const slow = pathToFileURL(join(ws.dir, 'slow-undici.mjs')).href;
    const run = await ws.run(['doctor', '--timeout', '1'], { env: { NODE_OPTIONS: `--import=${slow}` } });
    expect(run.stdout).toMatch(/^ {2}✗ Down +test…n-11 +unreachable +\S/m);
  });

  it('prints the results as JSON with --json', async () => {
    const ws = await workspace({ providers: [openai([GOOD, INVALID])] });
    const run = await ws.run(['doctor', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; keys: Record<string, unknown>[] };
    expect(report.ok).toBe(false);
    expect(report.keys).toMatchObject([
      { provider: 'OpenAI', keyId: 'test…d-01', status: 'ok', broken: false, probe: 'chat' },
      { provider: 'OpenAI', keyId: 'test…d-02', status: 'invalid', broken: true, code: 'API_KEY_INVALID' },
    ]);
  });

  it('shows the ids `switchboard keys` shows: two keys with the same first and last 4 get key# ids', async () => {
    // Both would be `test…-0x1`: the pool (and so doctor) tells them apart by their hash ids.
    const twins = ['test-key-twin-alpha-0x1', 'test-key-twin-bravo-0x1'];
    const ws = await workspace({ providers: [openai(twins)] });
    const keys = await ws.run(['keys', 'OpenAI', '--json']);
    expect(keys.code).toBe(0);
    const stats = JSON.parse(keys.stdout) as { OpenAI: { keyId: string }[] };
    const poolIds = stats.OpenAI.map((entry) => entry.keyId);
    expect(poolIds).toHaveLength(2);
    for (const id of poolIds) expect(id).toMatch(/^key#[0-9a-f]{6,}$/);
    const run = await ws.run(['doctor', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { keys: { keyId: string }[] };
    expect(report.keys.map((key) => key.keyId)).toEqual(poolIds);
    const text = await ws.run(['doctor']);
    for (const id of poolIds) expect(text.stdout).toMatch(new RegExp(`^ {2}✓ OpenAI +${id} +ok `, 'm'));
  });

  it('lists every config problem by path and probes nothing', async () => {
    const ws = await workspace(
      [
        'providers:',
        '  - name: A',
        '    apiType: openai',
        '    apiKeys: []',
        '    models: []',
        'retry: { maxRetries: -1 }',
      ].join('\n'),
    );
    fake.clearRequests();
    const run = await ws.run(['doctor']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^✗ config ${ws.configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [3-9] problems$`),
    );
    expect(run.stdout).toMatch(/^ {2}providers\[0\]\.apiKeys: /m);
    expect(run.stdout).toMatch(/^ {2}providers\[0\]\.models: /m);
    expect(run.stdout).toMatch(/^ {2}retry\.maxRetries: /m);
    expect(fake.requests).toHaveLength(0);
  });
});
