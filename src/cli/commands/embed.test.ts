import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  fakeEmbedding,
  openaiErrorReply,
  startFakeProvider,
} from '../../testing/index.js';
import { createWorkspace, FAST_RETRY, type Workspace } from '../test-support/cli-harness.js';

let fake: FakeProvider;
let ws: Workspace;
let failAll = false;
/** When set, the first embeddings request is answered only once this many have arrived. */
let holdFirstUntil: { count: number; arrived: number; all: Promise<void>; release: () => void } | undefined;

function holdFirst(count: number): void {
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  holdFirstUntil = { count, arrived: 0, all, release };
}

beforeAll(async () => {
  fake = await startFakeProvider({
    handler: async (request, { automatic }) => {
      if (!request.path.endsWith('/embeddings')) return undefined;
      if (failAll) return openaiErrorReply(400, { message: 'Invalid input', code: 'invalid_request' });
      const hold = holdFirstUntil;
      if (hold == null) return undefined;
      hold.arrived++;
      if (hold.arrived >= hold.count) hold.release();
      if (hold.arrived > 1) return undefined;
      await hold.all;
      return automatic();
    },
  });
  ws = await createWorkspace({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-embed-0001'],
        models: ['gpt-4o-mini', { name: 'text-embedding-3-small', embedding: true }],
      },
    ],
    retry: FAST_RETRY,
  });
});

beforeEach(() => {
  failAll = false;
  holdFirstUntil = undefined;
  fake.clearRequests();
});

afterAll(async () => {
  await fake.close();
  await ws.cleanup();
});

const jsonl = (records: readonly unknown[]) =>
  `${records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n')}\n`;
const parseLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const embeddingInputs = () =>
  fake.requestsTo('/embeddings').map((request) => (request.body as { input: string[] }).input);

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard embed', { timeout: 60_000 }, () => {
  it('writes every line plus its embedding, in input order, over several batches with some in flight', async () => {
    const records = Array.from({ length: 10 }, (_, i) => ({
      id: i + 1,
      text: `document number ${i + 1}`,
      tag: ['a', 'b'],
    }));
    await writeFile(join(ws.dir, 'docs.jsonl'), jsonl(records));
    // The first batch is answered only after all four arrived: they must be in flight together (sent one at
    // a time, the run could not finish), and it finishes last, so output order must not follow completion.
    holdFirst(4);
    const run = await ws.run(['embed', '--in', 'docs.jsonl', '--batch', '3']);
    expect(run.code).toBe(0);
    const out = parseLines(run.stdout);
    expect(out).toEqual(records.map((record) => ({ ...record, embedding: fakeEmbedding(record.text) })));
    expect(
      embeddingInputs()
        .map((input) => input.length)
        .sort(),
    ).toEqual([1, 3, 3, 3]);
    expect(run.stderr).toBe('embedded 10 lines in 4 batches\n'); // no progress bar off a terminal
  });

  it('reports bad lines by number on stderr, skips them, embeds the rest and exits 2', async () => {
    const input = jsonl([
      { text: 'first' },
      '{not json',
      { id: 3 },
      '',
      { text: 42 },
      '["an", "array"]',
      { text: 'seventh', keep: true },
      { text: '   ' },
    ]);
    const run = await ws.run(['embed', '-m', 'OpenAI/text-embedding-3-small', '--batch', '2'], { input });
    expect(run.code).toBe(2);
    expect(parseLines(run.stdout)).toEqual([
      { text: 'first', embedding: fakeEmbedding('first') },
      { text: 'seventh', keep: true, embedding: fakeEmbedding('seventh') },
    ]);
    const errors = run.stderr.trimEnd().split('\n');
    expect(errors[0]).toMatch(/^line 2: skipped: invalid JSON \(/);
    expect(errors.slice(1)).toEqual([
      'line 3: skipped: missing "text"',
      'line 5: skipped: "text" must be a string (got number)',
      'line 6: skipped: not a JSON object (got array)',
      'line 8: skipped: "text" is empty',
      'embedded 2 lines in 1 batch; skipped 5 bad lines (lines 2, 3, 5, 6, 8)',
    ]);
  });

  it('reads stdin and writes --out, creating the file', async () => {
    const run = await ws.run(['embed', '--out', 'vectors.jsonl'], {
      input: jsonl([{ text: 'alpha' }, { text: 'beta' }]),
    });
    expect(run).toMatchObject({ code: 0, stdout: '' });
    const written = parseLines(await readFile(join(ws.dir, 'vectors.jsonl'), 'utf8'));
    expect(written.map((record) => record.embedding)).toEqual([
      fakeEmbedding('alpha'),
      fakeEmbedding('beta'),
    ]);
  });

  it('streams a large input in batches of the default 64 lines', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ n: i, text: `line ${i}` }));
    const run = await ws.run(['embed', '--concurrency', '2'], { input: jsonl(records) });
    expect(run.code).toBe(0);
    const out = parseLines(run.stdout);
    expect(out.map((record) => record.n)).toEqual(records.map((record) => record.n));
    expect(out[999]?.embedding).toEqual(fakeEmbedding('line 999'));
    expect(embeddingInputs().every((input) => input.length <= 64)).toBe(true);
    expect(run.stderr).toBe('embedded 1000 lines in 16 batches\n');
  });

  it('stops with the error, exit 1, when a batch fails (after saying which lines)', async () => {
    failAll = true;
    const run = await ws.run(['embed', '--batch', '2'], {
      input: jsonl([{ text: 'a' }, { text: 'b' }, { text: 'c' }]),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^embedding stopped at input lines 1–2; 0 lines were written before them\n/);
    expect(run.stderr).toContain('error [INVALID_PARAMETER]');
  });

  it('refuses a chat model and a missing input file before reading anything', async () => {
    const chat = await ws.run(['embed', '-m', 'OpenAI/gpt-4o-mini'], { input: jsonl([{ text: 'a' }]) });
    expect(chat.code).toBe(1);
    expect(chat.stderr).toContain(
      '-m OpenAI/gpt-4o-mini is a chat model; embedding models: OpenAI/text-embedding-3-small',
    );
    const missing = await ws.run(['embed', '--in', 'missing.jsonl']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--in missing.jsonl: cannot read the file (ENOENT)');
    const badBatch = await ws.run(['embed', '--batch', '0']);
    expect(badBatch.code).toBe(1);
    expect(badBatch.stderr).toContain('must be a whole number ≥ 1');
    expect(fake.requests).toHaveLength(0);
  });
});
