import type { LLMGenerationConfig, Mapped } from '../../spec/index.js';
import type { NanoBananaRequestBody } from './nano-banana-wire.js';

/** Aspect ratios the seed maps to a size (each also sends `aspect_ratio`). */
const RATIO_SIZES: Record<string, string> = { '1:1': '1024x1024', '16:9': '1792x1024', '9:16': '1024x1792' };

type ConfigFields = Pick<NanoBananaRequestBody, 'size' | 'aspect_ratio' | 'image_size'>;

/**
 * The body fields of a generation config, per seed-spec §3.9: `visual.aspectRatio` 1:1 → `size: 1024x1024`,
 * 16:9 → `1792x1024`, 9:16 → `1024x1792` (each plus `aspect_ratio`); a `WxH` string → `size`; any other
 * value → `aspect_ratio` (the seed dropped the other enum ratios; they are sent here). `visual.resolution`
 * → `image_size` verbatim. Everything else the protocol has no field for becomes a warning (`customParams`,
 * merged by the request builder, can send anything a relay accepts).
 */
export function mapNanoBananaConfig(config: LLMGenerationConfig): Mapped<ConfigFields> {
  const fields: ConfigFields = {};
  const warnings: string[] = [];
  const visual = config.visual ?? {};
  const ratio = visual.aspectRatio?.trim();
  if (ratio != null && ratio !== '') {
    const size = RATIO_SIZES[ratio];
    if (size != null) {
      fields.size = size;
      fields.aspect_ratio = ratio;
    } else if (ratio.toLowerCase().includes('x')) {
      fields.size = ratio;
    } else {
      fields.aspect_ratio = ratio;
    }
  }
  if (visual.resolution != null && visual.resolution !== '') fields.image_size = visual.resolution;
  const ignoredVisual = (['quality', 'background', 'style', 'count', 'mediaResolution'] as const).filter(
    (key) => visual[key] != null,
  );
  if (ignoredVisual.length > 0) {
    warnings.push(
      `${ignoredVisual.join(', ')} ${ignoredVisual.length > 1 ? 'have' : 'has'} no field in the nano_banana images protocol; ignored (customParams can send relay-specific fields)`,
    );
  }
  const core = Object.entries(config.core ?? {}).filter(([, value]) => value != null);
  if (core.length > 0) {
    warnings.push(`${core.map(([key]) => key).join(', ')} do not apply to image generation; ignored`);
  }
  if (config.reasoning != null) warnings.push('reasoning settings do not apply to image generation; ignored');
  if (config.toolConfig != null || (config.nativeTools?.length ?? 0) > 0) {
    warnings.push('tools do not apply to image generation; ignored');
  }
  if (config.safety?.safetySettings != null) warnings.push('safetySettings are Gemini settings; ignored');
  const output = config.output ?? {};
  if (output.responseFormat != null || output.responseSchema != null) {
    warnings.push('responseFormat/responseSchema do not apply to image generation; ignored');
  }
  if (output.responseMimeType != null) {
    warnings.push('responseMimeType has no field in the nano_banana images protocol; ignored');
  }
  const modalities = output.responseModalities;
  if (modalities != null && !modalities.some((modality) => modality.toUpperCase() === 'IMAGE')) {
    warnings.push('responseModalities without IMAGE do not apply to an images endpoint; ignored');
  }
  return { value: fields, warnings };
}
