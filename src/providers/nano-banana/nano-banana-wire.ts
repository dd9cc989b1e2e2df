/**
 * Wire types of the `nano_banana` images protocol (seed-spec §3.9): the OpenAI images endpoint
 * `POST /v1/images/generations` as relays of image models (Gemini "nano banana" and others) expose it,
 * with a JSON body for generation and edits alike. Only the fields this library sends or reads.
 */

/** The request body. `customParams` are merged in verbatim before `image`. */
export interface NanoBananaRequestBody {
  model: string;
  prompt: string;
  /** Always `b64_json`: the images come back as base64. */
  response_format: 'b64_json';
  /** `WxH`: from `visual.aspectRatio` 1:1 / 16:9 / 9:16, or an explicit `1024x768`. */
  size?: string;
  /** `visual.aspectRatio` as given (`16:9`, `4:3`), unless it was an explicit `WxH`. */
  aspect_ratio?: string;
  /** `visual.resolution` verbatim (`HD`, `2K`, `4K`). */
  image_size?: string;
  /** Input images to edit or use as references: plain base64 (no `data:` prefix). */
  image?: string[];
  [customParam: string]: unknown;
}

/** One item of the answer's `data` (an `ImagesResponse` item). */
export interface NanoBananaImageItem {
  /** Base64 image (a `data:` prefix is tolerated). */
  b64_json?: string;
  /** A URL instead of bytes (some relays). */
  url?: string;
  revised_prompt?: string;
}

/** The answer body. */
export interface NanoBananaResponseBody {
  created?: number;
  data?: NanoBananaImageItem[];
  error?: unknown;
}
