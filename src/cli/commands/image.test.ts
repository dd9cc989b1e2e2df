import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider, TINY_PNG_BASE64 } from '../../testing/index.js';
import { createWorkspace, FAST_RETRY, type Workspace } from '../test-support/cli-harness.js';
import { imageFileNames } from './image.js';

let fake: FakeProvider;
let ws: Workspace;
const PNG = Buffer.from(TINY_PNG_BASE64, 'base64');

beforeAll(async () => {
  fake = await startFakeProvider();
  ws = await createWorkspace({
    providers: [
      {
        name: 'Images',
        apiType: 'openai_image',
        apiBase: fake.openaiBase,
        apiKeys: ['test-key-image-0001'],
        models: ['gpt-image-1', 'dall-e-3'],
      },
    ],
    retry: FAST_RETRY,
  });
});

beforeEach(() => fake.clearRequests());

afterAll(async () => {
  await fake.close();
  await ws.cleanup();
});

describe('imageFileNames', () => {
  it('keeps one name, numbers several, and takes the extension from the MIME type when none is given', () => {
    expect(imageFileNames('out.png', ['image/png'])).toEqual(['out.png']);
    expect(imageFileNames('out.png', ['image/png', 'image/png'])).toEqual(['out-1.png', 'out-2.png']);
    expect(imageFileNames('pics/out', ['image/jpeg', 'image/webp'])).toEqual([
      'pics/out-1.jpg',
      'pics/out-2.webp',
    ]);
    expect(imageFileNames('out', ['application/x-unknown'])).toEqual(['out.bin']);
  });
});

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard image', { timeout: 60_000 }, () => {
  it('writes one image to the -o file', async () => {
    const run = await ws.run(['image', 'a', 'red', 'dot', '-o', 'dot.png']);
    expect(run).toMatchObject({ code: 0, stdout: `wrote dot.png (image/png, ${PNG.byteLength} bytes)\n` });
    expect(await readFile(join(ws.dir, 'dot.png'))).toEqual(PNG);
    expect(fake.lastRequest?.path).toBe('/v1/images/generations');
    expect(fake.lastRequest?.body).toMatchObject({ model: 'gpt-image-1', prompt: 'a red dot' });
  });

  it('numbers several images and adds the extension from the MIME type, creating the directory', async () => {
    const run = await ws.run(['image', 'three dots', '-o', 'out/dots', '-n', '3']);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      `wrote out/dots-1.png (image/png, ${PNG.byteLength} bytes)`,
      `wrote out/dots-2.png (image/png, ${PNG.byteLength} bytes)`,
      `wrote out/dots-3.png (image/png, ${PNG.byteLength} bytes)`,
    ]);
    for (const n of [1, 2, 3]) expect(await readFile(join(ws.dir, 'out', `dots-${n}.png`))).toEqual(PNG);
    expect(fake.lastRequest?.body).toMatchObject({ n: 3 });
  });

  it('prints URL-only results without downloading them', async () => {
    fake.enqueue({
      json: {
        created: 0,
        data: [{ url: 'https://images.example.test/abc.png', revised_prompt: 'a blue dot' }],
      },
    });
    const run = await ws.run(['image', 'a dot', '-m', 'Images/dall-e-3', '-o', 'url.png']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('image at https://images.example.test/abc.png (a URL only: not downloaded)\n');
    expect(run.stderr).toContain('revised prompt: a blue dot');
    expect(fake.requests).toHaveLength(1);
  });

  it('sends --image files as the images to edit', async () => {
    await writeFile(join(ws.dir, 'in.png'), PNG);
    const run = await ws.run(['image', 'make it blue', '-o', 'edited.png', '--image', 'in.png']);
    expect(run.code).toBe(0);
    expect(fake.lastRequest?.path).toBe('/v1/images/edits');
  });

  it('requires -o', async () => {
    const run = await ws.run(['image', 'a dot']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("required option '-o, --output <file>' not specified");
  });
});
