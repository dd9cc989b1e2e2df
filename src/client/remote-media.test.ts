import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LLMConfig, LLMContentPart } from '../spec/index.js';
import {
  type FakeProvider,
  geminiErrorReply,
  geminiReply,
  openaiChatReply,
  startFakeProvider,
  TINY_PNG_BASE64,
} from '../testing/index.js';
import { createLLM, type LLM } from './llm.js';
import { rejectionOf, sentBody } from './test-support/e2e-kit.js';

// fetchRemoteMedia wired into the calls (API.md §3): URL media a provider needs inline (Gemini) is downloaded
// once per call, before the retry pipeline and the tool loop, within the call's deadline; private addresses
// are refused unless allowed. The media server is a bare node:http server on 127.0.0.1.

const PNG = Buffer.from(TINY_PNG_BASE64, 'base64');

let media: Server;
let mediaBase: string;
let hits: string[];
let fake: FakeProvider;
let llm: LLM | undefined;

beforeEach(async () => {
  hits = [];
  media = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': PNG.length });
    response.end(PNG);
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  mediaBase = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  fake = await startFakeProvider();
});

afterEach(async () => {
  await llm?.close();
  llm = undefined;
  await fake.close();
  await new Promise<void>((resolve) => media.close(() => resolve()));
  expect(fake.errors).toEqual([]);
});

function client(extra: Partial<LLMConfig> = {}): LLM {
  llm = createLLM({
    providers: [
      {
        name: 'Gemini',
        apiType: 'gemini',
        apiBase: fake.geminiBase,
        apiKeys: ['test-key-1'],
        models: ['gemini-2.5-flash', 'gemini-2.5-flash-image'],
      },
      {
        name: 'OpenAI',
        apiType: 'openai',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-2'],
        models: ['gpt-4o-mini'],
      },
      {
        name: 'Banana',
        apiType: 'nano_banana',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-3'],
        models: ['gemini-2.5-flash-image-preview'],
      },
      {
        name: 'OpenRouter',
        apiType: 'openrouter',
        apiBase: `${fake.url}/api`,
        apiKeys: ['test-key-4'],
        models: [
          { name: 'google/gemini-2.5-flash-image', capabilities: { outputModalities: ['text', 'image'] } },
        ],
      },
    ],
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
  return llm;
}

const question = (): LLMContentPart[] => [
  { type: 'text', text: 'What is in this picture?' },
  { type: 'image', url: `${mediaBase}/cat.png` },
];

type GeminiBody = { contents: { parts: Record<string, unknown>[] }[] };
const partsOf = (index: number) => sentBody<GeminiBody>(fake, index).contents[0]?.parts;
const INLINE = { inlineData: { mimeType: 'image/png', data: TINY_PNG_BASE64 } };

describe('fetchRemoteMedia on Gemini chat', () => {
  it('inlines the image; a retried attempt (503, then 200) re-sends the same bytes without downloading again', async () => {
    const llm = client();
    fake.enqueue(geminiErrorReply(503, 'UNAVAILABLE', 'The model is overloaded.'), geminiReply('A cat.'));
    const response = await llm.chat(question(), {
      model: 'Gemini/gemini-2.5-flash',
      fetchRemoteMedia: { allowPrivateNetworks: true },
    });
    expect(response.text).toBe('A cat.');
    expect(fake.requests).toHaveLength(2);
    expect(response.attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(partsOf(0)).toEqual([{ text: 'What is in this picture?' }, INLINE]);
    expect(partsOf(1)).toEqual(partsOf(0));
    expect(hits).toEqual(['/cat.png']);
  });

  it('refuses 127.0.0.1 without allowPrivateNetworks: INVALID_PARAMETER naming the part, provider and model; nothing sent', async () => {
    const llm = client({ fetchRemoteMedia: true });
    const error = await rejectionOf(llm.chat(question(), { model: 'Gemini/gemini-2.5-flash' }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/^messages\[0\]\.content\[1\]: media download/);
    expect(error.message).toMatch(/loopback|private|not public/i);
    expect(error.provider).toBe('Gemini');
    expect(error.model).toBe('Gemini/gemini-2.5-flash');
    expect(fake.requests).toHaveLength(0);
    expect(hits).toEqual([]);
  });

  it('the config setting applies to every call; a call can turn it off', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    await llm.chat(question(), { model: 'Gemini/gemini-2.5-flash' });
    expect(partsOf(0)?.[1]).toEqual(INLINE);
    await llm.chat(question(), { model: 'Gemini/gemini-2.5-flash', fetchRemoteMedia: false });
    expect(partsOf(1)?.[1]).toEqual({ fileData: { mimeType: 'image/png', fileUri: `${mediaBase}/cat.png` } });
    expect(hits).toHaveLength(1);
  });

  it('without fetchRemoteMedia, Gemini gets the URL as a fileData reference (as before)', async () => {
    const llm = client();
    await llm.chat(question(), { model: 'Gemini/gemini-2.5-flash' });
    expect(partsOf(0)?.[1]).toEqual({ fileData: { mimeType: 'image/png', fileUri: `${mediaBase}/cat.png` } });
    expect(hits).toEqual([]);
  });

  it('OpenAI takes image URLs: passed by reference, never downloaded', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    fake.enqueue(openaiChatReply('A cat.'));
    await llm.chat(question(), { model: 'OpenAI/gpt-4o-mini' });
    const body = sentBody<{ messages: { content: { type: string; image_url?: { url: string } }[] }[] }>(fake);
    expect(body.messages[0]?.content[1]).toEqual({
      type: 'image_url',
      image_url: { url: `${mediaBase}/cat.png` },
    });
    expect(hits).toEqual([]);
  });

  it('streams and tool rounds download once per call', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    const lookup = {
      name: 'lookup',
      description: 'Look something up',
      parameters: { type: 'object', properties: {} },
      execute: () => ({ found: true }),
    };
    fake.enqueue(geminiReply([{ functionCall: { name: 'lookup', args: {} } }]), geminiReply('Done.'));
    const stream = llm.stream(question(), { model: 'Gemini/gemini-2.5-flash', tools: [lookup] });
    expect((await stream.response).text).toBe('Done.');
    expect(fake.requests).toHaveLength(2);
    expect(partsOf(0)?.[1]).toEqual(INLINE);
    expect(partsOf(1)?.[1]).toEqual(INLINE);
    expect(hits).toEqual(['/cat.png']);
  });

  it('generateStructured: the validation re-ask re-sends the image without downloading again', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    fake.enqueue(geminiReply('{"animal": 3}'), geminiReply('{"animal": "cat"}'));
    const value = await llm.generateStructured(question(), z.object({ animal: z.string() }), {
      model: 'Gemini/gemini-2.5-flash',
    });
    expect(value).toEqual({ animal: 'cat' });
    expect(fake.requests).toHaveLength(2);
    expect(partsOf(1)?.[1]).toEqual(INLINE);
    expect(hits).toEqual(['/cat.png']);
  });

  it('sessions pass it through (session option and call option) and store the URL, not the bytes', async () => {
    const llm = client();
    const ai = llm.session({
      model: 'Gemini/gemini-2.5-flash',
      fetchRemoteMedia: { allowPrivateNetworks: true },
    });
    await ai.chat(question());
    expect(partsOf(0)?.[1]).toEqual(INLINE);
    const stored = await ai.history();
    expect(stored[0]?.content).toEqual(question());
    const refused = await rejectionOf(
      ai.chat(question(), { fetchRemoteMedia: { allowPrivateNetworks: false } }),
    );
    expect(refused.code).toBe('INVALID_PARAMETER');
    expect(hits).toHaveLength(1);
  });

  it('a bad per-call setting is INVALID_PARAMETER by path; a bad config setting is a config problem', async () => {
    const llm = client();
    const error = await rejectionOf(
      llm.chat('hi', { model: 'Gemini/gemini-2.5-flash', fetchRemoteMedia: { maxBytes: 0 } }),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/options\.fetchRemoteMedia\.maxBytes/);
    let configError: unknown;
    try {
      client({ fetchRemoteMedia: { maxBytes: 1.5, allowPrivate: true } as never });
    } catch (caught) {
      configError = caught;
    }
    expect(configError).toMatchObject({ code: 'CONFIGURATION_ERROR' });
    expect((configError as { details: { issues: unknown[] } }).details.issues).toEqual([
      { path: 'fetchRemoteMedia.allowPrivate', message: expect.stringMatching(/^unknown key/) },
      { path: 'fetchRemoteMedia.maxBytes', message: 'must be a whole number ≥ 1' },
    ]);
  });
});

describe('fetchRemoteMedia in createImage', () => {
  it('nano_banana: an input image URL is downloaded once (even across a retried attempt) and sent as base64', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    fake.enqueue({ status: 503, json: { error: { message: 'busy', type: 'server_error' } } });
    const response = await llm.createImage('peel it', {
      model: 'Banana/gemini-2.5-flash-image-preview',
      images: [`${mediaBase}/cat.png`],
    });
    expect(response.images).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
    expect(sentBody<{ image: string[] }>(fake, 0).image).toEqual([TINY_PNG_BASE64]);
    expect(sentBody<{ image: string[] }>(fake, 1).image).toEqual([TINY_PNG_BASE64]);
    expect(hits).toEqual(['/cat.png']);
  });

  it('nano_banana: a refused download names images[i], provider and model; nothing is sent', async () => {
    const llm = client({ fetchRemoteMedia: true });
    const error = await rejectionOf(
      llm.createImage('peel it', {
        model: 'Banana/gemini-2.5-flash-image-preview',
        images: [new Uint8Array(PNG), `${mediaBase}/cat.png`],
      }),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/^images\[1\]: media download/);
    expect(error.details).toMatchObject({ path: 'images[1]' });
    expect(error.provider).toBe('Banana');
    expect(fake.requests).toHaveLength(0);
  });

  it('Gemini image models: input image URLs are inlined', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    fake.enqueue(geminiReply([{ inlineData: { mimeType: 'image/png', data: TINY_PNG_BASE64 } }]));
    await llm.createImage('make it blue', {
      model: 'Gemini/gemini-2.5-flash-image',
      images: [`${mediaBase}/cat.png`],
    });
    expect(partsOf(0)).toEqual([{ text: 'make it blue' }, INLINE]);
    expect(hits).toEqual(['/cat.png']);
  });
});

describe('the Markdown-image rescue of createImage (seed-spec §4.6)', () => {
  const markdownAnswer = () =>
    openaiChatReply(`Here you go: ![a cat](${mediaBase}/cat.png) and again ![same](${mediaBase}/cat.png)`);

  it('with fetchRemoteMedia: the linked image is downloaded once and returned as an image; text and message rebuilt', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    fake.enqueue(markdownAnswer());
    const response = await llm.createImage('a cat', { model: 'OpenRouter/google/gemini-2.5-flash-image' });
    expect(response.images).toEqual([
      { mimeType: 'image/png', data: new Uint8Array(PNG), url: `${mediaBase}/cat.png` },
    ]);
    expect(response.text).toBe('Here you go:  and again');
    expect(response.message.content).toEqual([
      { type: 'text', text: 'Here you go:  and again' },
      { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 },
    ]);
    expect(hits).toEqual(['/cat.png']);
    expect(fake.requests).toHaveLength(1);
  });

  it('without fetchRemoteMedia: URL-only images (empty data), nothing downloaded, no re-ask', async () => {
    const llm = client();
    fake.enqueue(markdownAnswer());
    const response = await llm.createImage('a cat', { model: 'OpenRouter/google/gemini-2.5-flash-image' });
    expect(response.images).toEqual([
      { mimeType: 'image/png', data: new Uint8Array(0), url: `${mediaBase}/cat.png` },
    ]);
    expect(response.text).toBe('Here you go:  and again');
    expect(hits).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('a link that cannot be downloaded leaves no image: a warning, then the answer is asked again', async () => {
    const llm = client({ fetchRemoteMedia: true, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } });
    fake.enqueue(markdownAnswer(), openaiChatReply('no luck'));
    const error = await rejectionOf(
      llm.createImage('a cat', { model: 'OpenRouter/google/gemini-2.5-flash-image' }),
    );
    expect(error.code).toBe('GENERATION_FAILED');
    expect(fake.requests).toHaveLength(2);
    expect(hits).toEqual([]);
  });

  it('also on images endpoints that answer with text (Gemini image models)', async () => {
    const llm = client({ fetchRemoteMedia: { allowPrivateNetworks: true } });
    fake.enqueue(geminiReply(`![cat](${mediaBase}/cat.png)`));
    const response = await llm.createImage('a cat', { model: 'Gemini/gemini-2.5-flash-image' });
    expect(response.images).toHaveLength(1);
    expect(response.text).toBe('');
    expect(hits).toEqual(['/cat.png']);
  });
});
