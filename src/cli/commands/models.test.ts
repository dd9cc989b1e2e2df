import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from '../test-support/cli-harness.js';

let ws: Workspace;

beforeAll(async () => {
  // No request is made: an unreachable base is fine.
  ws = await createWorkspace({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: 'http://127.0.0.1:9/v1',
        apiKeys: ['test-key-models-0001'],
        models: ['gpt-4o-mini', { name: 'text-embedding-3-small', embedding: true }],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: 'http://127.0.0.1:9',
        apiKeys: ['test-key-models-0002'],
        models: ['gemini-2.5-flash'],
      },
      {
        name: 'Images',
        apiType: 'openai_image',
        apiBase: 'http://127.0.0.1:9',
        apiKeys: ['test-key-models-0003'],
        models: ['gpt-image-1'],
      },
    ],
    defaultModel: 'Gemini/gemini-2.5-flash',
  });
});

afterAll(() => ws.cleanup());

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard models', { timeout: 60_000 }, () => {
  it('prints a table of every model with kind and capabilities, the default marked with *', async () => {
    const run = await ws.run(['models']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {2}MODEL +KIND +API TYPE +TOOLS +REASONING +JSON SCHEMA +INPUT$/);
    expect(lines.slice(1)).toHaveLength(4);
    expect(run.stdout).toMatch(/^ {2}OpenAI\/gpt-4o-mini +chat +openai +yes +- +yes +text,image$/m);
    expect(run.stdout).toMatch(/^ {2}OpenAI\/text-embedding-3-small +embedding +openai +- +- +- +text$/m);
    expect(run.stdout).toMatch(
      /^\* Gemini\/gemini-2\.5-flash +chat +gemini +yes +budget +yes +text,image,audio,video$/m,
    );
    expect(run.stdout).toMatch(/^ {2}Images\/gpt-image-1 +image +openai_image/m);
    expect(run.stdout).not.toContain('\x1b['); // no colour off a terminal
    // Columns line up: every row starts its KIND column where the header does.
    const kindAt = lines[0]?.indexOf('KIND');
    for (const line of lines.slice(1))
      expect(line.slice(kindAt).match(/^(chat|embedding|image)\b/)).not.toBeNull();
  });

  it('prints ModelInfo objects with a default flag with --json', async () => {
    const run = await ws.run(['models', '--json']);
    expect(run.code).toBe(0);
    const models = JSON.parse(run.stdout) as {
      name: string;
      kind: string;
      default: boolean;
      capabilities: { toolCalling: boolean };
    }[];
    expect(models.map((model) => [model.name, model.kind, model.default])).toEqual([
      ['OpenAI/gpt-4o-mini', 'chat', false],
      ['OpenAI/text-embedding-3-small', 'embedding', false],
      ['Gemini/gemini-2.5-flash', 'chat', true],
      ['Images/gpt-image-1', 'image', false],
    ]);
    expect(models[0]?.capabilities.toolCalling).toBe(true);
  });

  it('colours only when asked (FORCE_COLOR) and respects NO_COLOR', async () => {
    const forced = await ws.run(['models'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[1m* Gemini/gemini-2.5-flash\x1b[22m');
    const both = await ws.run(['models'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(both.stdout).not.toContain('\x1b[');
  });

  it('an AVAILABLE column (with the reason) once a model is configured available: false', async () => {
    const retired = await createWorkspace({
      providers: [
        {
          name: 'OpenAI',
          apiType: 'openai',
          apiBase: 'http://127.0.0.1:9/v1',
          apiKeys: ['test-key-models-0004'],
          models: ['gpt-4o-mini', { name: 'retired', available: false, unavailableReason: 'quota used up' }],
        },
      ],
      routes: [{ name: 'dead', targets: ['OpenAI/retired'] }],
    });
    try {
      const run = await retired.run(['models']);
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/ INPUT +AVAILABLE$/);
      expect(run.stdout).toMatch(/^\* OpenAI\/gpt-4o-mini +chat .* yes$/m);
      expect(run.stdout).toMatch(/^ {2}OpenAI\/retired +chat .* no: quota used up$/m);
      expect(run.stdout).toMatch(/^ {2}dead +route +fallback .* no$/m);
      // Without unavailable models the table is unchanged (the first test's header has no AVAILABLE).
      expect((await ws.run(['models'])).stdout).not.toContain('AVAILABLE');
    } finally {
      await retired.cleanup();
    }
  });
});
