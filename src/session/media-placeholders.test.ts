import { describe, expect, it } from 'vitest';
import type { LLMMessage } from '../spec/index.js';
import { TINY_PNG_BASE64 } from '../testing/auto-images.js';
import { mediaPlaceholder, withMediaPlaceholders } from './media-placeholders.js';

describe('mediaPlaceholder', () => {
  it('names type, file name, MIME type and size', () => {
    expect(mediaPlaceholder({ type: 'image', mimeType: 'image/jpeg', data: 'AAAA' })).toBe(
      '[image: image/jpeg, 3 B]',
    );
    expect(
      mediaPlaceholder({
        type: 'file',
        name: 'report.pdf',
        mimeType: 'application/pdf',
        data: Buffer.alloc(1_300_000).toString('base64'),
      }),
    ).toBe('[file report.pdf: application/pdf, 1.2 MB]');
    // MIME type sniffed when missing; a data: URL in `data` or `url` counts as bytes.
    expect(mediaPlaceholder({ type: 'image', data: TINY_PNG_BASE64 })).toBe('[image: image/png, 70 B]');
    expect(mediaPlaceholder({ type: 'audio', url: 'data:audio/ogg;base64,AAAAAA==' })).toBe(
      '[audio: audio/ogg, 4 B]',
    );
    expect(mediaPlaceholder({ type: 'video', data: 'data:video/mp4;base64,AAAA' })).toBe(
      '[video: video/mp4, 3 B]',
    );
    expect(mediaPlaceholder({ type: 'file', data: 'AAAA' })).toBe('[file: 3 B]');
  });
});

describe('withMediaPlaceholders', () => {
  it('replaces media that carries bytes, keeps media by reference and everything else, never mutating', () => {
    const messages: LLMMessage[] = [
      { role: 'user', content: 'plain' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'see' },
          { type: 'image', mimeType: 'image/png', data: TINY_PNG_BASE64, thoughtSignature: 'sig' },
          { type: 'file', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc' },
          { type: 'image', url: 'gs://bucket/a.png' },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'executable_code', language: 'PYTHON', code: 'print(1)' }],
        model: 'G/m',
      },
    ];
    const before = structuredClone(messages);
    const out = withMediaPlaceholders(messages);
    expect(out[0]).toBe(messages[0]);
    expect(out[2]).toBe(messages[2]);
    expect(out[1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'see' },
        { type: 'text', text: '[image: image/png, 70 B]' },
        { type: 'file', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc' },
        { type: 'image', url: 'gs://bucket/a.png' },
      ],
    });
    expect(messages).toEqual(before);
    const plain: LLMMessage[] = [{ role: 'user', content: [{ type: 'image', url: 'https://x.test/a.png' }] }];
    expect(withMediaPlaceholders(plain)).toBe(plain);
  });
});
