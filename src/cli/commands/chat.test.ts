import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  geminiReply,
  openaiChatReply,
  openaiStreamReply,
  type SseItem,
  startFakeProvider,
  TINY_PNG_BASE64,
} from '../../testing/index.js';
import { createWorkspace, FAST_RETRY, type Workspace } from '../test-support/cli-harness.js';

let fake: FakeProvider;
let ws: Workspace;

const chunk = (delta: object, finishReason: string | null = null) => ({
  id: 'chatcmpl-r',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'deepseek-reasoner',
  choices: [{ index: 0, delta, finish_reason: finishReason }],
});

beforeAll(async () => {
  fake = await startFakeProvider();
  ws = await createWorkspace({
    providers: [
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-chat-openai-0001'],
        models: ['gpt-4o-mini'],
      },
      {
        name: 'DeepSeek',
        apiType: 'deepseek',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-chat-deepseek-0002'],
        models: ['deepseek-reasoner'],
      },
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-chat-gemini-0003'],
        models: ['gemini-2.5-flash-image'],
      },
    ],
    defaultModel: 'OpenAI/gpt-4o-mini',
    retry: FAST_RETRY,
  });
});

beforeEach(() => fake.clearRequests());

afterAll(async () => {
  await fake.close();
  await ws.cleanup();
});

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard chat', { timeout: 60_000 }, () => {
  it('streams the answer to stdout as it arrives and ends with a newline', async () => {
    // The fake holds back the rest of the stream until the first word is on the CLI's stdout: a CLI that
    // printed only at the end would never get it (no timing involved).
    let firstPrinted: () => void = () => undefined;
    const printed = new Promise<void>((resolve) => {
      firstPrinted = resolve;
    });
    const [first, ...rest] = [...(openaiStreamReply(['one ', 'two ', 'three']).sse as Iterable<SseItem>)];
    async function* held(): AsyncIterable<SseItem> {
      if (first !== undefined) yield first;
      await printed;
      yield* rest;
    }
    // eventDelayMs: each event is flushed as it is sent (the fake batches otherwise).
    fake.enqueue({ ...openaiStreamReply(['one ', 'two ', 'three']), sse: held(), eventDelayMs: 1 });
    const run = await ws.run(['chat', 'count to three'], {
      onStdout: (soFar) => {
        if (soFar.startsWith('one')) firstPrinted();
      },
    });
    expect(run).toMatchObject({ code: 0, stdout: 'one two three\n', stderr: '' });
    expect(run.stdoutTimes.length).toBeGreaterThan(1);
    expect(fake.lastRequest?.body).toMatchObject({ stream: true });
  });

  it('joins unquoted words, sends --system as the system prompt and -m picks the model', async () => {
    const run = await ws.run([
      'chat',
      '-m',
      'deepseek/DEEPSEEK-REASONER',
      '--system',
      'Be brief.',
      'hello',
      'world',
    ]);
    expect(run).toMatchObject({ code: 0, stdout: 'echo: hello world\n' });
    const body = fake.lastRequest?.body as { model: string; messages: { role: string; content: unknown }[] };
    expect(body.model).toBe('deepseek-reasoner');
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('prints the answer of a provider that replies to the stream request with one JSON body', async () => {
    fake.enqueue(openaiChatReply('not streamed after all'));
    const run = await ws.run(['chat', 'hi']);
    expect(run).toMatchObject({ code: 0, stdout: 'not streamed after all\n' });
  });

  it('reads the prompt from stdin when none is given', async () => {
    const run = await ws.run(['chat'], { input: 'a prompt from stdin\n' });
    expect(run).toMatchObject({ code: 0, stdout: 'echo: a prompt from stdin\n' });
  });

  it('fails with exit 1 when there is no prompt at all', async () => {
    const run = await ws.run(['chat'], { input: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[INVALID_PARAMETER\]: .*\nNo prompt: stdin was empty\./);
    expect(fake.requests).toHaveLength(0);
  });

  it('prints reasoning to stderr with --show-reasoning, undimmed off a terminal, and keeps stdout for the answer', async () => {
    const reply = () => ({
      sse: [
        chunk({ role: 'assistant', content: null, reasoning_content: 'Let me think. ' }),
        chunk({ reasoning_content: 'Two plus two.' }),
        chunk({ content: 'Four.' }),
        chunk({}, 'stop'),
      ],
    });
    fake.enqueue(reply(), reply(), reply());
    const shown = await ws.run(['chat', '-m', 'DeepSeek/deepseek-reasoner', '--show-reasoning', '2+2?']);
    expect(shown).toMatchObject({ code: 0, stdout: 'Four.\n', stderr: 'Let me think. Two plus two.\n' });
    const hidden = await ws.run(['chat', '-m', 'DeepSeek/deepseek-reasoner', '2+2?']);
    expect(hidden).toMatchObject({ code: 0, stdout: 'Four.\n', stderr: '' });
    const colored = await ws.run(['chat', '-m', 'DeepSeek/deepseek-reasoner', '--show-reasoning', '2+2?'], {
      env: { FORCE_COLOR: '1' },
    });
    expect(colored.stderr).toContain('\x1b[2mLet me think. \x1b[22m');
    expect(colored.stdout).toBe('Four.\n');
  });

  it('prints the final response as JSON with --json: images as { mimeType, bytes }, masked key ids', async () => {
    fake.enqueue(
      geminiReply([
        { text: 'Here it is.' },
        { inlineData: { mimeType: 'image/png', data: TINY_PNG_BASE64 } },
      ]),
    );
    const run = await ws.run(['chat', '--json', '-m', 'Gemini/gemini-2.5-flash-image', 'draw a dot']);
    expect(run.code).toBe(0);
    const response = JSON.parse(run.stdout) as Record<string, unknown>;
    const bytes = Buffer.from(TINY_PNG_BASE64, 'base64').byteLength;
    expect(response).toMatchObject({
      text: 'Here it is.',
      model: 'Gemini/gemini-2.5-flash-image',
      finishReason: 'stop',
      images: [{ mimeType: 'image/png', bytes }],
      attempts: [{ attempt: 1, status: 200, keyId: 'test…0003' }],
    });
    expect(run.stdout).not.toContain(TINY_PNG_BASE64);
    expect(fake.lastRequest?.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
  });

  it('sends --image files as image parts with the MIME type sniffed from the bytes', async () => {
    await writeFile(join(ws.dir, 'photo.bin'), Buffer.from(TINY_PNG_BASE64, 'base64'));
    const run = await ws.run(['chat', 'what is this?', '--image', 'photo.bin']);
    expect(run).toMatchObject({ code: 0, stdout: 'echo: what is this?\n' });
    const body = fake.lastRequest?.body as {
      messages: { content: { type: string; image_url?: { url: string } }[] }[];
    };
    const parts = body.messages[0]?.content ?? [];
    expect(parts.map((part) => part.type)).toEqual(['text', 'image_url']);
    expect(parts[1]?.image_url?.url).toBe(`data:image/png;base64,${TINY_PNG_BASE64}`);
  });

  it('rejects an --image that is missing or not an image, before any request', async () => {
    await writeFile(join(ws.dir, 'notes.txt'), 'just text');
    const missing = await ws.run(['chat', 'hi', '--image', 'nope.png']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--image nope.png: cannot read the file (ENOENT)');
    const text = await ws.run(['chat', 'hi', '--image', 'notes.txt']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('--image notes.txt: not an image');
    expect(fake.requests).toHaveLength(0);
  });

  it('ends a stream cut by the provider with the text so far, the error and exit 1', async () => {
    fake.enqueue(openaiStreamReply(['partial ', 'answer'], { cutAfter: 1 }));
    const run = await ws.run(['chat', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('partial \n');
    expect(run.stderr).toMatch(/^error \[[A-Z_]+\]: /);
  });

  it('reports an unknown model with the configured names', async () => {
    const run = await ws.run(['chat', '-m', 'Nope/model', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error \[MODEL_NOT_FOUND\]: /);
    expect(run.stderr).toContain('OpenAI/gpt-4o-mini');
  });
});
