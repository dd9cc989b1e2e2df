/** What a media type is, for choosing a content part. */
export type MediaKind = 'image' | 'audio' | 'video' | 'file';

/**
 * The MIME type of `bytes` from their magic numbers, or `undefined` when unknown. Recognises PNG, JPEG, GIF,
 * WebP, BMP, TIFF, ICO, HEIC/HEIF/AVIF, SVG, PDF, WAV, AIFF, MP3, AAC (ADTS), OGG, FLAC, MP4/M4A/MOV/3GP,
 * WebM/Matroska and AVI. Only the first few kilobytes are read.
 */
export function sniffMimeType(bytes: Uint8Array): string | undefined {
  if (bytes.length < 2) return undefined;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 0, 4) === 'RIFF') {
    const form = ascii(bytes, 8, 4);
    if (form === 'WEBP') return 'image/webp';
    if (form === 'WAVE') return 'audio/wav';
    if (form === 'AVI ') return 'video/x-msvideo';
  }
  if (ascii(bytes, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(bytes, 8, 4))) return 'audio/aiff';
  if (isBmp(bytes)) return 'image/bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 6 && bytes[4]! > 0 && bytes[5] === 0) {
    return 'image/x-icon';
  }
  if (ascii(bytes, 4, 4) === 'ftyp') return isoMediaType(bytes);
  if (ascii(bytes, 0, 5) === '%PDF-') return 'application/pdf';
  if (ascii(bytes, 0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(bytes, 0, 4) === 'OggS') return oggType(bytes);
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return matroskaType(bytes);
  if (ascii(bytes, 0, 3) === 'ID3') return 'audio/mpeg';
  const audio = mpegAudioType(bytes);
  if (audio !== undefined) return audio;
  if (isSvg(bytes)) return 'image/svg+xml';
  return undefined;
}

const EXTENSIONS: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  jfif: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  ico: 'image/x-icon',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  aif: 'audio/aiff',
  aiff: 'audio/aiff',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  ogv: 'video/ogg',
  '3gp': 'video/3gpp',
  mpeg: 'video/mpeg',
  mpg: 'video/mpeg',
  wmv: 'video/x-ms-wmv',
  flv: 'video/x-flv',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  xml: 'application/xml',
  json: 'application/json',
  js: 'text/javascript',
  mjs: 'text/javascript',
  ts: 'text/x-typescript',
  py: 'text/x-python',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  rtf: 'application/rtf',
};

/**
 * MIME type by file extension (case-insensitive), for a file name, path or URL (query and fragment ignored);
 * `undefined` for an unknown or missing extension.
 */
export function mimeFromFileName(name: string): string | undefined {
  const path = name.split(/[?#]/, 1)[0] ?? '';
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return EXTENSIONS[base.slice(dot + 1).toLowerCase()];
}

/** `image/*` → `image`, `audio/*` → `audio`, `video/*` → `video`, anything else → `file`. Parameters ignored. */
export function mediaKindOf(mime: string): MediaKind {
  const type = mime.trim().toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'file';
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  if (bytes.length < signature.length) return false;
  return signature.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function uint32BE(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
    0
  );
}

// "BM" alone is too weak: also require a known DIB header size at offset 14.
function isBmp(bytes: Uint8Array): boolean {
  if (bytes.length < 18 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) return false;
  const dibSize = bytes[14]! | (bytes[15]! << 8) | (bytes[16]! << 16) | (bytes[17]! << 24);
  return [12, 16, 40, 52, 56, 64, 108, 124].includes(dibSize);
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);
const QUICKTIME_BRANDS = new Set(['qt  ']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

// ISO base media file (ftyp box): the major brand decides, then the compatible brands for HEIF containers.
function isoMediaType(bytes: Uint8Array): string {
  const major = ascii(bytes, 8, 4);
  const boxSize = bytes.length >= 4 ? uint32BE(bytes, 0) : 0;
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, bytes.length, 256); offset += 4) {
    compatible.push(ascii(bytes, offset, 4));
  }
  const brands = [major, ...compatible];
  if (major === 'avif' || major === 'avis') return 'image/avif';
  if (HEIC_BRANDS.has(major)) return 'image/heic';
  if (major === 'mif1' || major === 'msf1') {
    if (brands.includes('avif') || brands.includes('avis')) return 'image/avif';
    if (brands.some((brand) => HEIC_BRANDS.has(brand))) return 'image/heic';
    return 'image/heif';
  }
  if (QUICKTIME_BRANDS.has(major)) return 'video/quicktime';
  if (AUDIO_BRANDS.has(major)) return 'audio/mp4';
  if (major.startsWith('3g2')) return 'video/3gpp2';
  if (major.startsWith('3g')) return 'video/3gpp';
  return 'video/mp4';
}

function oggType(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, Math.min(bytes.length, 128));
  return head.includes('\x80theora') || head.includes('\x01video') ? 'video/ogg' : 'audio/ogg';
}

// EBML header: the DocType element (0x4282) says "webm" or "matroska".
function matroskaType(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, Math.min(bytes.length, 64));
  if (head.includes('matroska')) return 'video/x-matroska';
  return 'video/webm';
}

// An MPEG audio frame header: 11 sync bits, a valid version, layer, bitrate and sample rate.
function mpegAudioType(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff) return undefined;
  const b1 = bytes[1]!;
  const b2 = bytes[2]!;
  if ((b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 0x03;
  const layer = (b1 >> 1) & 0x03;
  if (layer === 0) {
    // ADTS (AAC): layer is always 00.
    return (b1 & 0xf6) === 0xf0 && ((b2 >> 2) & 0x0f) < 13 ? 'audio/aac' : undefined;
  }
  if (version === 0x01) return undefined;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 0x03;
  if (bitrate === 0x0f || sampleRate === 0x03) return undefined;
  return 'audio/mpeg';
}

// SVG is text: an optional BOM, XML declaration, comments and doctype, then the <svg> root element.
const SVG_START =
  /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>/]/i;

function isSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '');
  return SVG_START.test(head);
}
