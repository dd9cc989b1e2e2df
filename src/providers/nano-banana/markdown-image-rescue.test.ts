import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadRemoteMedia } from '../../http/download-remote-media.js';
import type { ParsedChat } from '../../spec/index.js';
import { TINY_PNG_BASE64 } from '../../testing/auto-images.js';
import { type FakeProvider, startFakeProvider } from '../../testing/index.js';
import { findMarkdownImageLinks, rescueMarkdownImages } from './markdown-image-rescue.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const answer = (text: string, extra: Partial<ParsedChat> = {}): ParsedChat => ({
  text,
  contentParts: [{ type: 'text', text }],
  toolCalls: [],
  finishReason: 'stop',
  images: [],
  warnings: [],
  ...extra,
});

describe('findMarkdownImageLinks', () => {
  it('finds http(s) images and links in order, with alt text and titles', () => {
    const text =
      'Here ![a cat](https://x.test/cat.png "Cat") and [download](http://x.test/dl?id=1) and ![](<https://x.test/b.jpg>) but not ![x](ftp://x.test/a.png) or [y](relative.png)';
    expect(findMarkdownImageLinks(text)).toEqual([
      {
        markdown: '![a cat](https://x.test/cat.png "Cat")',
        image: true,
        alt: 'a cat',
        url: 'https://x.test/cat.png',
      },
      {
        markdown: '[download](http://x.test/dl?id=1)',
        image: false,
        alt: 'download',
        url: 'http://x.test/dl?id=1',
      },
      { markdown: '![](<https://x.test/b.jpg>)', image: true, alt: '', url: 'https://x.test/b.jpg' },
    ]);
    expect(findMarkdownImageLinks('no links')).toEqual([]);
  });
});

describe('rescueMarkdownImages', () => {
  const imageUrl = () => `${fake.url}/fake-images/image.png`;
  const download = (allowPrivateNetworks: boolean) => (url: string) =>
    downloadRemoteMedia(url, { allowPrivateNetworks });

  it('downloads each distinct link once and returns the images, the tags removed from the text', async () => {
    fake.clearRequests();
    const text = `Done! ![result](${imageUrl()})\nAgain: [full size](${imageUrl()})`;
    const rescued = await rescueMarkdownImages(answer(text), { download: download(true) });
    expect(fake.requestsTo('/fake-images/')).toHaveLength(1);
    expect(rescued.text).toBe('Done! \nAgain:');
    expect(rescued.images).toHaveLength(1);
    expect(rescued.images[0]).toMatchObject({ mimeType: 'image/png', url: imageUrl() });
    expect(Buffer.from(rescued.images[0]!.data).toString('base64')).toBe(TINY_PNG_BASE64);
    expect(rescued.contentParts).toEqual([
      { type: 'text', text: 'Done! \nAgain:' },
      { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64 },
    ]);
    expect(rescued.warnings).toEqual([]);
  });

  it('goes through the SSRF guard: a loopback link is refused by default and left in the text', async () => {
    const text = `![result](${imageUrl()})`;
    const rescued = await rescueMarkdownImages(answer(text), { download: download(false) });
    expect(rescued.images).toEqual([]);
    expect(rescued.text).toBe(text);
    expect(rescued.warnings[0]).toMatch(/could not be downloaded: .*loopback address/);
  });

  it('leaves links that are not images, with a warning', async () => {
    const page = `${fake.openaiBase}/models`;
    const rescued = await rescueMarkdownImages(answer(`See [the docs](${page})`), {
      download: download(true),
    });
    expect(rescued.images).toEqual([]);
    expect(rescued.warnings[0]).toMatch(/is not an image \(application\/json\); left in the text/);
  });

  it('without a downloader, image tags become URL images; answers with images are untouched', async () => {
    const text = 'Here: ![one](https://cdn.test/a.webp) and [page](https://cdn.test/p)';
    const rescued = await rescueMarkdownImages(answer(text));
    expect(rescued.images).toEqual([
      { mimeType: 'image/webp', data: new Uint8Array(0), url: 'https://cdn.test/a.webp' },
    ]);
    expect(rescued.text).toBe('Here:  and [page](https://cdn.test/p)');
    const withImage = answer(text, { images: [{ mimeType: 'image/png', data: new Uint8Array([1]) }] });
    expect(await rescueMarkdownImages(withImage)).toBe(withImage);
    const plain = answer('no links here');
    expect(await rescueMarkdownImages(plain)).toBe(plain);
  });
});
