import { describe, expect, it } from 'vitest';
import { mediaKindOf, mimeFromFileName, sniffMimeType } from './mime.js';

/** Bytes from a mix of numbers and ASCII strings. */
function bytes(...parts: (number | string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') for (const ch of part) out.push(ch.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}
const text = (s: string) => new TextEncoder().encode(s);
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const ftyp = (major: string, ...compatible: string[]) =>
  bytes(u32be(16 + 4 * compatible.length), 'ftyp', major, [0, 0, 0, 0], ...compatible);

// Header bytes as they appear at the start of real files of each format.
const samples: [string, Uint8Array, string][] = [
  ['PNG', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, [0, 0, 0, 0x0d], 'IHDR'), 'image/png'],
  ['JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', 0), 'image/jpeg'],
  ['JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1, 0x2f, 0xfe], 'Exif', 0, 0), 'image/jpeg'],
  ['GIF89a', bytes('GIF89a', [0x01, 0x00, 0x01, 0x00, 0x80]), 'image/gif'],
  ['GIF87a', bytes('GIF87a', [0x0a, 0x00, 0x0a, 0x00]), 'image/gif'],
  ['WebP', bytes('RIFF', [0x24, 0x00, 0x00, 0x00], 'WEBPVP8 ', [0x18, 0, 0, 0]), 'image/webp'],
  [
    'BMP',
    bytes('BM', [0x46, 0, 0, 0], [0, 0, 0, 0], [0x36, 0, 0, 0], [0x28, 0, 0, 0], [0x02, 0, 0, 0]),
    'image/bmp',
  ],
  ['TIFF little-endian', bytes([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), 'image/tiff'],
  ['TIFF big-endian', bytes([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]), 'image/tiff'],
  ['ICO', bytes([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10]), 'image/x-icon'],
  ['HEIC', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
  ['HEIF (mif1 + heic brand)', ftyp('mif1', 'mif1', 'heic', 'miaf'), 'image/heic'],
  ['HEIF (mif1 only)', ftyp('mif1', 'mif1', 'miaf'), 'image/heif'],
  ['AVIF', ftyp('avif', 'avif', 'mif1', 'miaf', 'MA1B'), 'image/avif'],
  ['AVIF (mif1 + avif brand)', ftyp('mif1', 'avif', 'mif1', 'miaf'), 'image/avif'],
  ['PDF', bytes('%PDF-1.7\n%', [0xe2, 0xe3, 0xcf, 0xd3]), 'application/pdf'],
  ['WAV', bytes('RIFF', [0x24, 0x08, 0x00, 0x00], 'WAVEfmt ', [0x10, 0, 0, 0]), 'audio/wav'],
  ['AIFF', bytes('FORM', [0, 0, 0x08, 0x24], 'AIFFCOMM'), 'audio/aiff'],
  ['MP3 (ID3v2.4)', bytes('ID3', [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x23], 'TSSE'), 'audio/mpeg'],
  ['MP3 (MPEG-1 Layer III frame)', bytes([0xff, 0xfb, 0x90, 0x64, 0x00, 0x00]), 'audio/mpeg'],
  ['MP3 (MPEG-2 Layer III frame)', bytes([0xff, 0xf3, 0x64, 0xc4, 0x00, 0x00]), 'audio/mpeg'],
  ['AAC (ADTS)', bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio/aac'],
  [
    'OGG Vorbis',
    bytes('OggS', [0x00, 0x02], [0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], 0x01, 'vorbis'),
    'audio/ogg',
  ],
  ['OGG Opus', bytes('OggS', [0x00, 0x02], [0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0], 'OpusHead'), 'audio/ogg'],
  [
    'OGG Theora',
    bytes('OggS', [0x00, 0x02], [0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0], 0x80, 'theora'),
    'video/ogg',
  ],
  ['FLAC', bytes('fLaC', [0x00, 0x00, 0x00, 0x22, 0x10, 0x00]), 'audio/flac'],
  ['M4A', ftyp('M4A ', 'M4A ', 'mp42', 'isom'), 'audio/mp4'],
  ['MP4 (isom)', ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'), 'video/mp4'],
  ['MP4 (mp42)', ftyp('mp42', 'mp42', 'isom'), 'video/mp4'],
  ['MOV', bytes(u32be(0x14), 'ftyp', 'qt  ', [0x20, 0x05, 0x03, 0x00], 'qt  '), 'video/quicktime'],
  ['3GP', ftyp('3gp4', 'isom', '3gp4'), 'video/3gpp'],
  [
    'WebM',
    bytes(
      [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04],
      [0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84],
      'webm',
      [0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02],
    ),
    'video/webm',
  ],
  [
    'Matroska',
    bytes(
      [0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04],
      [0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x88],
      'matroska',
      [0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02],
    ),
    'video/x-matroska',
  ],
  ['AVI', bytes('RIFF', [0x00, 0x10, 0x00, 0x00], 'AVI LIST'), 'video/x-msvideo'],
  [
    'SVG with XML declaration and doctype',
    text(
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- Created with Inkscape -->\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
    ),
    'image/svg+xml',
  ],
  ['SVG with BOM and whitespace', text('\uFEFF  \n<svg viewBox="0 0 1 1"/>'), 'image/svg+xml'],
];

describe('sniffMimeType', () => {
  it.each(samples)('%s', (_name, sample, expected) => {
    expect(sniffMimeType(sample)).toBe(expected);
  });

  it('sniffs a real PNG file prefix (decoded from a recorded fixture)', async () => {
    const { readFile } = await import('node:fs/promises');
    const url = new URL(
      '../../fixtures/providers/openai/image-b64-gpt-image-1.exchange.json',
      import.meta.url,
    );
    const exchange = JSON.parse(await readFile(url, 'utf8'));
    const body = JSON.parse(exchange.interactions[0].response.body);
    const b64 = body.data[0].b64_json as string;
    expect(b64.length).toBeGreaterThan(100);
    expect(sniffMimeType(Buffer.from(b64, 'base64'))).toBe('image/png');
  });

  it.each([
    ['empty', new Uint8Array()],
    ['one byte', bytes(0xff)],
    ['plain text', text('hello world, this is not media')],
    ['HTML', text('<!doctype html><html><body><svg></svg></body></html>')],
    ['JSON', text('{"svg": "<svg>"}')],
    ['"BM" without a DIB header', bytes('BMhello world, not a bitmap')],
    ['invalid MPEG frame (bitrate 1111)', bytes([0xff, 0xff, 0xff, 0xff])],
    ['truncated PNG signature', bytes(0x89, 'PN')],
  ])('unknown: %s', (_name, sample) => {
    expect(sniffMimeType(sample)).toBeUndefined();
  });
});

describe('mimeFromFileName', () => {
  it.each([
    ['photo.JPG', 'image/jpeg'],
    ['a.jpeg', 'image/jpeg'],
    ['icon.png', 'image/png'],
    ['anim.gif', 'image/gif'],
    ['x.webp', 'image/webp'],
    ['IMG_0001.HEIC', 'image/heic'],
    ['pic.avif', 'image/avif'],
    ['logo.svg', 'image/svg+xml'],
    ['/tmp/a.b/voice.m4a', 'audio/mp4'],
    ['song.mp3', 'audio/mpeg'],
    ['clip.wav', 'audio/wav'],
    ['take.flac', 'audio/flac'],
    ['note.ogg', 'audio/ogg'],
    ['https://x.test/v/movie.mp4?sig=1#t=10', 'video/mp4'],
    ['film.mov', 'video/quicktime'],
    ['rec.webm', 'video/webm'],
    ['rec.mkv', 'video/x-matroska'],
    ['C:\\docs\\report.pdf', 'application/pdf'],
    ['notes.md', 'text/markdown'],
    ['data.csv', 'text/csv'],
  ])('%s → %s', (name, expected) => {
    expect(mimeFromFileName(name)).toBe(expected);
  });

  it.each(['README', '.bashrc', 'archive.unknownext', 'dir.v2/file', ''])('unknown: %j', (name) => {
    expect(mimeFromFileName(name)).toBeUndefined();
  });
});

describe('mediaKindOf', () => {
  it.each([
    ['image/png', 'image'],
    ['image/svg+xml', 'image'],
    ['Audio/MPEG', 'audio'],
    ['audio/ogg; codecs=opus', 'audio'],
    ['video/webm', 'video'],
    ['application/pdf', 'file'],
    ['text/plain', 'file'],
    ['', 'file'],
  ])('%s → %s', (mime, expected) => {
    expect(mediaKindOf(mime)).toBe(expected);
  });
});
