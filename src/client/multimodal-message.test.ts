import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MediaPart } from '../spec/index.js';
import { createMultimodalMessage } from './multimodal-message.js';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0])]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(12)]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n');

let dir: string;
const file = (name: string, bytes: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const parts = async (
  input: Parameters<typeof createMultimodalMessage>[0],
  options?: Parameters<typeof createMultimodalMessage>[1],
) => {
  const message = await createMultimodalMessage(input, options);
  expect(message.role).toBe('user');
  return message.content as MediaPart[];
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-media-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('createMultimodalMessage', () => {
  it('reads paths, sniffs the type from the bytes and base64-encodes them; text comes first', async () => {
    const image = file('photo.bin', PNG); // the extension lies: the bytes decide
    const video = file('clip.mp4', MP4);
    const message = await createMultimodalMessage({ text: 'What is this?', images: image, videos: [video] });
    expect(message).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', mimeType: 'image/png', data: PNG.toString('base64'), name: 'photo.bin' },
        { type: 'video', mimeType: 'video/mp4', data: MP4.toString('base64'), name: 'clip.mp4' },
      ],
    });
  });

  it('falls back to the file name when the bytes say nothing', async () => {
    const notes = file('notes.md', '# Title\n');
    expect(await parts({ files: notes })).toEqual([
      {
        type: 'file',
        mimeType: 'text/markdown',
        data: Buffer.from('# Title\n').toString('base64'),
        name: 'notes.md',
      },
    ]);
  });

  it('accepts Buffer and Uint8Array bytes, and file: URLs', async () => {
    const fromUrl = pathToFileURL(file('x.png', PNG));
    const result = await parts({ images: [JPEG, new Uint8Array(PNG), fromUrl, fromUrl.href] });
    expect(result.map((p) => [p.type, p.mimeType])).toEqual([
      ['image', 'image/jpeg'],
      ['image', 'image/png'],
      ['image', 'image/png'],
      ['image', 'image/png'],
    ]);
    expect(result[0]!.data).toBe(JPEG.toString('base64'));
    expect(result[2]!.name).toBe('x.png');
  });

  it('decodes data URLs (base64 or percent-encoded) and trusts the bytes over the declared type', async () => {
    const result = await parts({
      images: `data:image/jpeg;base64,${PNG.toString('base64')}`,
      files: 'data:text/csv,a%2Cb%0A1%2C2',
    });
    expect(result[0]).toEqual({ type: 'image', mimeType: 'image/png', data: PNG.toString('base64') });
    expect(result[1]).toEqual({
      type: 'file',
      mimeType: 'text/csv',
      data: Buffer.from('a,b\n1,2').toString('base64'),
    });
  });

  it('passes http(s) and gs:// URLs by reference and never fetches them', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const result = await parts({
      images: 'http://127.0.0.1:1/unreachable/cat.png?size=big',
      files: ['gs://bucket/report.pdf', 'https://example.invalid/download'],
    });
    expect(result).toEqual([
      { type: 'image', url: 'http://127.0.0.1:1/unreachable/cat.png?size=big', mimeType: 'image/png' },
      { type: 'file', url: 'gs://bucket/report.pdf', mimeType: 'application/pdf' },
      { type: 'file', url: 'https://example.invalid/download' },
    ]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('uses the detected kind when an item is passed in the wrong field', async () => {
    const result = await parts({
      images: [file('song.mp3', MP3), file('doc.pdf', PDF)],
      files: file('pic.png', PNG),
    });
    expect(result.map((p) => [p.type, p.mimeType])).toEqual([
      ['audio', 'audio/mpeg'],
      ['file', 'application/pdf'],
      ['image', 'image/png'],
    ]);
  });

  it('refuses media of unknown type outside `files`; `files` fall back to text/plain or octet-stream', async () => {
    const noise = Buffer.from([0x00, 0x13, 0x37, 0x42, 0x00, 0x99]);
    await expect(createMultimodalMessage({ audios: noise })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: expect.stringMatching(
        /audios: cannot tell the audio type of bytes; pass \{ data, mimeType \}/,
      ),
    });
    const result = await parts({ files: [noise, Buffer.from('plain words, ünïcode')] });
    expect(result.map((p) => p.mimeType)).toEqual(['application/octet-stream', 'text/plain']);
  });

  it('takes an explicit mimeType and name', async () => {
    const pcm = Buffer.from([1, 2, 3, 4]);
    expect(await parts({ audios: { data: pcm, mimeType: 'audio/L16;rate=16000', name: 'mic' } })).toEqual([
      { type: 'audio', mimeType: 'audio/L16;rate=16000', data: pcm.toString('base64'), name: 'mic' },
    ]);
    const path = file('raw.dat', PNG);
    expect((await parts({ images: { path, mimeType: 'image/png', name: 'shown.png' } }))[0]).toMatchObject({
      name: 'shown.png',
      mimeType: 'image/png',
    });
    expect((await parts({ videos: { url: 'https://cdn.test/v', mimeType: 'video/webm' } }))[0]).toEqual({
      type: 'video',
      url: 'https://cdn.test/v',
      mimeType: 'video/webm',
    });
  });

  it('enforces the inline size limit, naming the file and the limit', async () => {
    const path = file('big.png', Buffer.concat([PNG, Buffer.alloc(100)]));
    await expect(createMultimodalMessage({ images: [path] }, { maxInlineBytes: 64 })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: expect.stringContaining(
        `images[0]: ${path} is 116 bytes, over the inline media limit of 64 bytes`,
      ),
      details: expect.objectContaining({ path: 'images[0]', size: 116, limit: 64 }),
    });
    await expect(
      createMultimodalMessage({ images: Buffer.alloc(65) }, { maxInlineBytes: 64 }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
    await expect(
      createMultimodalMessage(
        { images: `data:image/png;base64,${Buffer.alloc(300).toString('base64')}` },
        { maxInlineBytes: 64 },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: /over the inline media limit/ });
  });

  it('has a 20 MB default limit, checked before reading the file', async () => {
    const path = file('huge.mp4', '');
    truncateSync(path, 21 * 1024 * 1024); // sparse: nothing is written or read
    await expect(createMultimodalMessage({ videos: path })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: expect.stringContaining(`${path} is 21 MB, over the inline media limit of 20 MB`),
    });
  });

  it('names the path of a missing file', async () => {
    const missing = join(dir, 'nope', 'missing.png');
    await expect(
      createMultimodalMessage({ text: 'x', images: ['http://a.test/ok.png', missing] }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: expect.stringContaining(`images[1]: cannot read ${missing}: no such file`),
    });
    await expect(createMultimodalMessage({ files: dir })).rejects.toMatchObject({ message: /is not a file/ });
  });

  it('rejects empty input, bad items and unsupported URL schemes', async () => {
    await expect(createMultimodalMessage({})).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: /no text and no media/,
    });
    await expect(createMultimodalMessage({ images: 'ftp://host/a.png' })).rejects.toMatchObject({
      message: /unsupported URL scheme \(ftp\)/,
    });
    await expect(createMultimodalMessage({ images: 42 as never })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    });
    await expect(createMultimodalMessage({ images: 'data:image/png;base64,@@@' })).rejects.toMatchObject({
      message: /malformed base64/,
    });
    await expect(createMultimodalMessage({ text: 'x' }, { maxInlineBytes: 0 })).rejects.toMatchObject({
      message: /maxInlineBytes/,
    });
  });
});
