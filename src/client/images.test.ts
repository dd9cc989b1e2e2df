import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../spec/index.js';
import {
  type FakeProvider,
  geminiReply,
  type MultipartBody,
  type MultipartFile,
  openaiChatReply,
  startFakeProvider,
  TINY_PNG_BASE64,
} from '../testing/index.js';
import type { LLM } from './llm.js';
import { clientFor, rejectionOf, sentBody } from './test-support/e2e-kit.js';

// createImage end to end: the OpenAI images endpoint (generations JSON, edits multipart), Gemini image
// models (responseModalities + inlineData), the nano_banana images protocol, and OpenRouter image models
// answering inside chat. Answers without an image are asked again (requireImage).

let fake: FakeProvider;
let llm: LLM;

const PNG = Buffer.from(TINY_PNG_BASE64, 'base64');
// A JPEG header is enough for MIME sniffing.
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
]);

function providers(url: string): ProviderConfig[] {
  return [
    {
      name: 'Images',
      apiType: 'openai_image',
      apiBase: url,
      apiKeys: ['test-key-i1'],
      models: ['gpt-image-1', 'dall-e-2', 'dall-e-3'],
    },
    {
      name: 'Gemini',
      apiType: 'gemini',
      apiBase: url,
      apiKeys: ['test-key-g1'],
      models: ['gemini-2.5-flash-image', 'gemini-2.5-flash'],
    },
    {
      name: 'Banana',
      apiType: 'nano_banana',
      apiBase: url,
      apiKeys: ['test-key-b1'],
      models: ['gemini-2.5-flash-image-preview'],
    },
    {
      name: 'OpenRouter',
      apiType: 'openrouter',
      apiBase: `${url}/api`,
      apiKeys: ['test-key-r1'],
      models: [
        { name: 'google/gemini-2.5-flash-image', capabilities: { outputModalities: ['text', 'image'] } },
      ],
    },
  ];
}

beforeEach(async () => {
  fake = await startFakeProvider();
  llm = clientFor(providers(fake.url));
});

afterEach(async () => {
  await llm.close();
  await fake.close();
  expect(fake.pendingReplies).toBe(0);
  expect(fake.errors).toEqual([]);
});

function multipart(): MultipartBody {
  const body = fake.lastRequest?.body;
  expect(fake.lastRequest?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  return body as MultipartBody;
}

/** A chat completion whose message carries images as data URLs (OpenRouter's image output). */
function chatWithImages(text: string, urls: string[]) {
  return {
    json: {
      id: 'gen-1',
      object: 'chat.completion',
      model: 'google/gemini-2.5-flash-image',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: {
            role: 'assistant',
            content: text,
            images: urls.map((url) => ({ type: 'image_url', image_url: { url } })),
          },
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 1290, total_tokens: 1295 },
    },
  };
}

describe('OpenAI images endpoint (openai_image)', () => {
  it('generations: JSON body with the mapped settings; b64_json → bytes', async () => {
    const response = await llm.createImage('a red square', {
      model: 'Images/gpt-image-1',
      config: { visual: { aspectRatio: '3:2', quality: 'high', count: 2 } },
    });
    expect(fake.lastRequest?.path).toBe('/v1/images/generations');
    expect(fake.lastRequest?.headers.authorization).toBe('Bearer test-key-i1');
    expect(fake.lastRequest?.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'a red square',
      size: '1536x1024',
      quality: 'high',
      n: 2,
    });
    expect(response.images).toHaveLength(2);
    for (const image of response.images) {
      expect(image.mimeType).toBe('image/png');
      expect(Buffer.from(image.data)).toEqual(PNG);
    }
    expect(response.model).toBe('Images/gpt-image-1');
    expect(response.warnings).toEqual([]);
  });

  it('without a model, the first configured image model is used', async () => {
    const response = await llm.createImage('anything');
    expect(response.model).toBe('Images/gpt-image-1');
    expect(fake.lastRequest?.path).toBe('/v1/images/generations');
  });

  it('edits with two images: /v1/images/edits multipart with image[] files and the text fields', async () => {
    const response = await llm.createImage('make it blue', {
      model: 'Images/gpt-image-1',
      images: [new Uint8Array(PNG), `data:image/jpeg;base64,${JPEG.toString('base64')}`],
    });
    expect(response.images).toHaveLength(1);
    expect(fake.lastRequest?.path).toBe('/v1/images/edits');
    const body = multipart();
    expect(body.model).toBe('gpt-image-1');
    expect(body.prompt).toBe('make it blue');
    const files = body['image[]'] as MultipartFile[];
    expect(files).toHaveLength(2);
    expect(files.map((file) => file.contentType)).toEqual(['image/png', 'image/jpeg']);
    expect(files.map((file) => file.filename)).toEqual(['image-1.png', 'image-2.jpg']);
    expect(files[0]?.data).toEqual(PNG);
    expect(files[1]?.data).toEqual(JPEG);
    expect(body.response_format).toBeUndefined();
  });

  it('edits with one image (dall-e-2): a single `image` file and response_format b64_json', async () => {
    await llm.createImage('add a hat', {
      model: 'Images/dall-e-2',
      images: { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64, name: 'otter.png' },
    });
    const body = multipart();
    const file = body.image as MultipartFile;
    expect(file).toMatchObject({ name: 'image', filename: 'otter.png', contentType: 'image/png' });
    expect(file.data).toEqual(PNG);
    expect(body).toMatchObject({ model: 'dall-e-2', prompt: 'add a hat', response_format: 'b64_json' });
  });

  it('gpt-image edits of image URLs: the JSON edit body, URLs never downloaded', async () => {
    await llm.createImage('restyle', { model: 'Images/gpt-image-1', images: 'https://example.com/cat.png' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.lastRequest?.path).toBe('/v1/images/edits');
    expect(fake.lastRequest?.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'restyle',
      images: [{ image_url: 'https://example.com/cat.png' }],
    });
  });

  it('bad input is refused before anything is sent', async () => {
    const url = await rejectionOf(
      llm.createImage('x', { model: 'Images/dall-e-2', images: 'https://example.com/cat.png' }),
    );
    expect(url.code).toBe('INVALID_PARAMETER');
    expect(url.message).toMatch(/never downloads URLs/);
    const dalle3 = await rejectionOf(
      llm.createImage('x', { model: 'Images/dall-e-3', images: new Uint8Array(PNG) }),
    );
    expect(dalle3.code).toBe('INVALID_PARAMETER');
    const path = await rejectionOf(llm.createImage('x', { images: './cat.png' }));
    expect(path.message).toMatch(/images\[0\]/);
    const empty = await rejectionOf(llm.createImage('  '));
    expect(empty.code).toBe('INVALID_PARAMETER');
    expect(fake.requests).toHaveLength(0);
  });

  it('an images answer without data → API_RESPONSE_INVALID (retried, then reported)', async () => {
    fake.enqueue(
      { json: { created: 1, data: [] } },
      { json: { created: 1, data: [] } },
      { json: { created: 1, data: [] } },
      { json: { created: 1, data: [] } },
    );
    const error = await rejectionOf(llm.createImage('x', { model: 'Images/gpt-image-1' }));
    expect(error.code).toBe('API_RESPONSE_INVALID');
    expect(error.model).toBe('Images/gpt-image-1');
    expect(fake.requests).toHaveLength(4);
  });
});

describe('Gemini image models', () => {
  it('asks for IMAGE output; inlineData → images with bytes and mimeType, text kept', async () => {
    fake.enqueue(
      geminiReply([
        { text: 'Here is your square.' },
        { inlineData: { mimeType: 'image/png', data: TINY_PNG_BASE64 }, thoughtSignature: 'c2ln' },
      ]),
    );
    const response = await llm.createImage('a red square', {
      model: 'Gemini/gemini-2.5-flash-image',
      config: { visual: { aspectRatio: '16:9' } },
    });
    expect(fake.lastRequest?.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    const body = fake.lastRequest?.body as { contents: unknown[]; generationConfig: Record<string, unknown> };
    expect(body.generationConfig.responseModalities).toEqual(expect.arrayContaining(['IMAGE']));
    expect(body.generationConfig.imageConfig).toEqual({ aspectRatio: '16:9' });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a red square' }] }]);
    expect(response.images).toEqual([{ mimeType: 'image/png', data: new Uint8Array(PNG) }]);
    expect(response.text).toBe('Here is your square.');
    expect(response.contentParts[1]).toEqual({
      type: 'image',
      mimeType: 'image/png',
      data: TINY_PNG_BASE64,
      thoughtSignature: 'c2ln',
    });
  });

  it('edits: input images go as inlineData parts after the prompt', async () => {
    fake.enqueue(geminiReply([{ inlineData: { mimeType: 'image/jpeg', data: JPEG.toString('base64') } }]));
    const response = await llm.createImage('make it blue', {
      model: 'Gemini/gemini-2.5-flash-image',
      images: [new Uint8Array(PNG)],
    });
    const body = sentBody<{ contents: { parts: unknown[] }[] }>(fake);
    expect(body.contents[0]?.parts).toEqual([
      { text: 'make it blue' },
      { inlineData: { mimeType: 'image/png', data: TINY_PNG_BASE64 } },
    ]);
    expect(response.images[0]?.mimeType).toBe('image/jpeg');
    expect(Buffer.from(response.images[0]?.data ?? [])).toEqual(JPEG);
  });

  it('a text-only answer is asked again (requireImage), then GENERATION_FAILED quoting the last text', async () => {
    fake.enqueue(
      geminiReply('I cannot draw that, sorry.'),
      geminiReply('Still cannot.'),
      geminiReply('No.'),
      geminiReply('I cannot draw that, sorry.'),
    );
    const error = await rejectionOf(
      llm.createImage('a red square', { model: 'Gemini/gemini-2.5-flash-image' }),
    );
    expect(error.code).toBe('GENERATION_FAILED');
    expect(error.message).toMatch(/no image/);
    expect(error.message).toContain('I cannot draw that, sorry.');
    expect(error.details).toMatchObject({ rejections: 4, text: 'I cannot draw that, sorry.' });
    expect(error.model).toBe('Gemini/gemini-2.5-flash-image');
    expect(error.attempts).toHaveLength(4);
    expect(fake.requests).toHaveLength(4);
  });

  it('validateResponse replaces requireImage: () => {} accepts a text-only answer', async () => {
    fake.enqueue(geminiReply('Only words.'));
    const response = await llm.createImage('a red square', {
      model: 'Gemini/gemini-2.5-flash-image',
      validateResponse: () => {},
    });
    expect(response.images).toEqual([]);
    expect(response.text).toBe('Only words.');
  });
});

describe('OpenRouter image models: images inside chat (modalities)', () => {
  it('chat completions with modalities; message.images data URLs → images', async () => {
    fake.enqueue(
      chatWithImages('A banana.', [
        `data:image/png;base64,${TINY_PNG_BASE64}`,
        `data:image/jpeg;base64,${JPEG.toString('base64')}`,
      ]),
    );
    const response = await llm.createImage('a banana', { model: 'OpenRouter/google/gemini-2.5-flash-image' });
    expect(fake.lastRequest?.path).toBe('/api/v1/chat/completions');
    expect(fake.lastRequest?.headers.authorization).toBe('Bearer test-key-r1');
    const body = fake.lastRequest?.body as { model: string; modalities: string[]; messages: unknown[] };
    expect(body.model).toBe('google/gemini-2.5-flash-image');
    expect(body.modalities).toEqual(expect.arrayContaining(['image', 'text']));
    expect(body.messages).toEqual([{ role: 'user', content: 'a banana' }]);
    expect(response.images).toEqual([
      { mimeType: 'image/png', data: new Uint8Array(PNG) },
      { mimeType: 'image/jpeg', data: new Uint8Array(JPEG) },
    ]);
    expect(response.text).toBe('A banana.');
    expect(response.usage?.totalTokens).toBe(1295);
  });

  it('edits: input images go as image_url parts of the user turn', async () => {
    fake.enqueue(chatWithImages('', [`data:image/png;base64,${TINY_PNG_BASE64}`]));
    await llm.createImage('peel it', {
      model: 'OpenRouter/google/gemini-2.5-flash-image',
      images: [new Uint8Array(PNG)],
    });
    const body = fake.lastRequest?.body as {
      messages: { content: { type: string; image_url?: { url: string } }[] }[];
    };
    const parts = body.messages[0]?.content ?? [];
    expect(parts[0]).toEqual({ type: 'text', text: 'peel it' });
    expect(parts[1]?.type).toBe('image_url');
    expect(parts[1]?.image_url?.url).toBe(`data:image/png;base64,${TINY_PNG_BASE64}`);
  });

  it('an answer with text only is asked again (requireImage), then GENERATION_FAILED', async () => {
    fake.enqueue(
      openaiChatReply('No images today.'),
      openaiChatReply('Still no images.'),
      openaiChatReply('Sorry.'),
      openaiChatReply('Nope.'),
    );
    const error = await rejectionOf(
      llm.createImage('a banana', { model: 'OpenRouter/google/gemini-2.5-flash-image' }),
    );
    expect(error.code).toBe('GENERATION_FAILED');
    expect(error.message).toContain('no image (it answered: Nope.)');
    expect(error.provider).toBe('OpenRouter');
    expect(fake.requests).toHaveLength(4);
    expect(error.attempts).toHaveLength(4);
  });

  it('a re-ask that brings an image succeeds', async () => {
    fake.enqueue(
      openaiChatReply('Here is a description instead.'),
      chatWithImages('Done.', [`data:image/png;base64,${TINY_PNG_BASE64}`]),
    );
    const response = await llm.createImage('a dot', { model: 'OpenRouter/google/gemini-2.5-flash-image' });
    expect(response.images).toHaveLength(1);
    expect(response.attempts).toHaveLength(2);
  });
});

describe('nano_banana: the images protocol of image relays (seed-spec §3.9)', () => {
  it('generations: JSON POST /v1/images/generations, b64_json → bytes, mapped settings', async () => {
    const response = await llm.createImage('a banana', {
      model: 'Banana/gemini-2.5-flash-image-preview',
      config: { visual: { aspectRatio: '16:9', resolution: '2K' } },
    });
    expect(fake.lastRequest?.path).toBe('/v1/images/generations');
    expect(fake.lastRequest?.headers.authorization).toBe('Bearer test-key-b1');
    expect(fake.lastRequest?.body).toMatchObject({
      model: 'gemini-2.5-flash-image-preview',
      prompt: 'a banana',
      response_format: 'b64_json',
      size: '1792x1024',
      aspect_ratio: '16:9',
      image_size: '2K',
    });
    expect(response.images).toEqual([{ mimeType: 'image/png', data: new Uint8Array(PNG) }]);
  });

  it('edits: input images as plain base64 in image[]', async () => {
    await llm.createImage('peel it', {
      model: 'Banana/gemini-2.5-flash-image-preview',
      images: [new Uint8Array(PNG), `data:image/jpeg;base64,${JPEG.toString('base64')}`],
    });
    expect(fake.lastRequest?.path).toBe('/v1/images/generations');
    expect(sentBody<{ image: string[] }>(fake).image).toEqual([TINY_PNG_BASE64, JPEG.toString('base64')]);
  });

  it('an input image given by URL without fetchRemoteMedia is refused naming it; nothing is sent', async () => {
    const error = await rejectionOf(
      llm.createImage('peel it', {
        model: 'Banana/gemini-2.5-flash-image-preview',
        images: ['https://example.com/banana.png'],
      }),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(/images\[0\].*fetchRemoteMedia/);
    expect(error.model).toBe('Banana/gemini-2.5-flash-image-preview');
    expect(fake.requests).toHaveLength(0);
  });

  it('chat, streams and structured output on it are INVALID_PARAMETER pointing at createImage', async () => {
    const chat = await rejectionOf(llm.chat('hi', { model: 'Banana/gemini-2.5-flash-image-preview' }));
    expect(chat.code).toBe('INVALID_PARAMETER');
    expect(chat.message).toMatch(/createImage/);
    const stream = await rejectionOf(
      llm.stream('hi', { model: 'Banana/gemini-2.5-flash-image-preview' }).response,
    );
    expect(stream.code).toBe('INVALID_PARAMETER');
    expect(fake.requests).toHaveLength(0);
  });
});
