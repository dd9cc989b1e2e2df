import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';
import { createWorkspace, FAST_RETRY, type Workspace } from './test-support/cli-harness.js';

// API.md §12 + §14: the CLI takes a route wherever it takes a model, and `switchboard models` lists routes.

let fake: FakeProvider;
let ws: Workspace;

beforeAll(async () => {
  // OpenAI is down; Gemini answers (the fake's echo).
  fake = await startFakeProvider((request) =>
    request.path.includes('chat/completions')
      ? { json: { error: { message: 'overloaded', type: 'server_error' } }, status: 503 }
      : undefined,
  );
  ws = await createWorkspace({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-1'],
        models: ['gpt-4o-mini'],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-2'],
        models: ['gemini-2.5-flash'],
      },
    ],
    routes: [
      { name: 'smart', strategy: 'fallback', targets: ['OpenAI/gpt-4o-mini', 'Gemini/gemini-2.5-flash'] },
    ],
    defaultModel: 'smart',
    retry: FAST_RETRY,
  });
});

afterAll(async () => {
  await fake.close();
  await ws.cleanup();
});

describe('switchboard with routes', { timeout: 60_000 }, () => {
  it('models lists the route (its strategy in the API TYPE column; targets in --json), marked default', async () => {
    const table = await ws.run(['models']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\* smart\s+route\s+fallback/);
    const json = await ws.run(['models', '--json']);
    const route = (JSON.parse(json.stdout) as { name: string; targets?: string[]; default: boolean }[]).find(
      (model) => model.name === 'smart',
    );
    expect(route).toMatchObject({
      targets: ['OpenAI/gpt-4o-mini', 'Gemini/gemini-2.5-flash'],
      default: true,
    });
  });

  it('chat over the route falls back to the target that answers', async () => {
    const run = await ws.run(['chat', 'hello there', '-m', 'smart']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('echo: hello there');
  });
});
