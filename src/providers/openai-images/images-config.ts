import type { LLMGenerationConfig, Mapped } from '../../spec/index.js';

/** OpenAI image model families: what sizes, qualities and options each accepts. */
export type ImageFamily = 'dall-e-2' | 'dall-e-3' | 'gpt-image' | 'other';

/** The family of a model id (`gpt-image-1`, `chatgpt-image-latest`, `dall-e-3`, …); `other` for relays' models. */
export function imageFamilyOf(modelId: string): ImageFamily {
  const id = modelId.toLowerCase();
  if (id.includes('dall-e-2')) return 'dall-e-2';
  if (id.includes('dall-e-3')) return 'dall-e-3';
  if (id.includes('gpt-image') || id.includes('chatgpt-image')) return 'gpt-image';
  return 'other';
}

// Sizes an aspect ratio may map to. `other` keeps the seed's table (the dall-e-3 sizes).
const SIZES: Record<ImageFamily, string[]> = {
  'dall-e-2': ['1024x1024'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
  'gpt-image': ['1024x1024', '1536x1024', '1024x1536'],
  other: ['1024x1024', '1792x1024', '1024x1792'],
};
const QUALITIES: Record<Exclude<ImageFamily, 'other'>, string[]> = {
  'dall-e-2': ['standard'],
  'dall-e-3': ['standard', 'hd'],
  'gpt-image': ['low', 'medium', 'high', 'auto'],
};
// Closest quality of another family's vocabulary.
const QUALITY_ALIASES: Record<string, Record<string, string>> = {
  'dall-e-3': { high: 'hd', medium: 'standard', low: 'standard' },
  'gpt-image': { hd: 'high', standard: 'medium' },
};
const OUTPUT_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
};
/** A ratio within this relative distance of a size's ratio maps without a warning (16:9 → 1792x1024). */
const RATIO_TOLERANCE = 0.05;

/**
 * Image body fields from a generation config: `size` (aspect ratio → a size the family supports, or an
 * explicit `WxH`), `quality`, `background`, `style`, `n`, `output_format`, and `response_format:
 * 'b64_json'` for every family but gpt-image (which always answers base64 and rejects the field).
 * `customParams` are merged by the request builder.
 */
export function mapImageConfig(
  config: LLMGenerationConfig,
  family: ImageFamily,
): Mapped<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  const warnings: string[] = [];
  const visual = config.visual ?? {};

  if (visual.aspectRatio != null) {
    const size = sizeFor(visual.aspectRatio.trim(), family, warnings);
    if (size != null) body.size = size;
  }
  const quality = visual.quality ?? qualityFromResolution(visual.resolution, warnings);
  if (quality != null) {
    const mapped = qualityFor(quality, family, warnings);
    if (mapped != null) body.quality = mapped;
  }
  if (visual.background != null) {
    if (family === 'gpt-image' || family === 'other') body.background = visual.background;
    else warnings.push(`background is a gpt-image setting; ignored for ${family}`);
  }
  if (visual.style != null) {
    if (family === 'dall-e-3' || family === 'other') body.style = visual.style;
    else warnings.push(`style is a dall-e-3 setting; ignored for ${family}`);
  }
  if (visual.count != null) body.n = countFor(visual.count, family, warnings);
  if (visual.mediaResolution != null) warnings.push('mediaResolution applies to media input; ignored');

  const mime = config.output?.responseMimeType;
  if (mime != null) {
    const format = OUTPUT_FORMATS[mime.toLowerCase()];
    if (format == null)
      warnings.push(`responseMimeType ${mime} is not an image format OpenAI can produce; ignored`);
    else if (family === 'gpt-image' || family === 'other') body.output_format = format;
    else warnings.push(`${family} always returns PNG; responseMimeType ignored`);
  }
  if (family !== 'gpt-image') body.response_format = 'b64_json';

  const core = config.core ?? {};
  const coreSet = Object.entries(core)
    .filter(([, value]) => value != null)
    .map(([key]) => key);
  if (coreSet.length > 0) warnings.push(`${coreSet.join(', ')} do not apply to image generation; ignored`);
  if (config.reasoning != null) warnings.push('reasoning settings do not apply to image generation; ignored');
  if (config.toolConfig != null || (config.nativeTools?.length ?? 0) > 0) {
    warnings.push('tools do not apply to image generation; ignored');
  }
  if (config.safety?.safetySettings != null) warnings.push('safetySettings are Gemini settings; ignored');
  const output = config.output ?? {};
  if (output.responseFormat != null || output.responseSchema != null) {
    warnings.push('responseFormat/responseSchema do not apply to image generation; ignored');
  }
  return { value: body, warnings };
}

function sizeFor(aspect: string, family: ImageFamily, warnings: string[]): string | undefined {
  if (/^\d+x\d+$/i.test(aspect)) return aspect.toLowerCase();
  if (aspect.toLowerCase() === 'auto') {
    if (family === 'gpt-image' || family === 'other') return 'auto';
    warnings.push(`size auto is not supported by ${family}; the model default is used`);
    return undefined;
  }
  const match = /^(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)$/.exec(aspect);
  const ratio = match != null ? Number(match[1]) / Number(match[2]) : Number.NaN;
  if (!Number.isFinite(ratio) || ratio <= 0) {
    warnings.push(`aspectRatio "${aspect}" is neither W:H nor WxH; ignored`);
    return undefined;
  }
  let best = SIZES[family][0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const size of SIZES[family]) {
    const [width, height] = size.split('x').map(Number) as [number, number];
    const distance = Math.abs(Math.log(width / height / ratio));
    if (distance < bestDistance) {
      best = size;
      bestDistance = distance;
    }
  }
  if (bestDistance > Math.log(1 + RATIO_TOLERANCE)) {
    warnings.push(`aspectRatio ${aspect} is not available for ${family}; using the closest size ${best}`);
  }
  return best;
}

function qualityFromResolution(resolution: string | undefined, warnings: string[]): string | undefined {
  if (resolution == null) return undefined;
  const value = resolution.toLowerCase();
  if (value === 'standard' || value === 'hd') return value;
  warnings.push(`resolution "${resolution}" has no OpenAI equivalent (use standard/hd or quality); ignored`);
  return undefined;
}

function qualityFor(quality: string, family: ImageFamily, warnings: string[]): string | undefined {
  const value = quality.toLowerCase();
  if (family === 'other') return value;
  if (QUALITIES[family].includes(value)) return value;
  const alias = QUALITY_ALIASES[family]?.[value];
  if (alias != null) {
    warnings.push(`quality "${quality}" is not a ${family} quality; sent as "${alias}"`);
    return alias;
  }
  warnings.push(
    `quality "${quality}" is not supported by ${family} (${QUALITIES[family].join('/')}); ignored`,
  );
  return undefined;
}

function countFor(count: number, family: ImageFamily, warnings: string[]): number {
  const max = family === 'dall-e-3' ? 1 : 10;
  const n = Math.min(max, Math.max(1, Math.floor(count)));
  if (n !== count) warnings.push(`count ${count} is outside 1–${max} for ${family}; sent as ${n}`);
  return n;
}
