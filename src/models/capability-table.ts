import type { Modality, ModelCapabilities } from '../spec/index.js';

/** What an unknown model is assumed to do: text in and out, function calling, nothing more. */
export const CONSERVATIVE_CAPABILITIES: Readonly<ModelCapabilities> = Object.freeze<ModelCapabilities>({
  inputModalities: ['text'],
  outputModalities: ['text'],
  toolCalling: true,
  embedding: false,
  reasoningMode: 'none',
  reasoningVisibility: 'none',
  jsonSchema: false,
  nativeTools: false,
  requiresThoughtSignatures: false,
});

const caps = (partial: Partial<ModelCapabilities>): ModelCapabilities => ({
  ...CONSERVATIVE_CAPABILITIES,
  ...partial,
});

const TEXT_IMAGE: Modality[] = ['text', 'image'];
const TEXT_IMAGE_VIDEO: Modality[] = ['text', 'image', 'video'];
const ALL_MEDIA: Modality[] = ['text', 'image', 'audio', 'video'];

const EMBEDDING = caps({ outputModalities: ['embedding'], toolCalling: false, embedding: true });
const IMAGE_ONLY = caps({ inputModalities: TEXT_IMAGE, outputModalities: ['image'], toolCalling: false });
const GEMINI_IMAGE = caps({
  inputModalities: TEXT_IMAGE,
  outputModalities: ['text', 'image'],
  toolCalling: false,
});
const GEMINI_3_IMAGE = caps({
  ...GEMINI_IMAGE,
  reasoningVisibility: 'visible',
  nativeTools: true,
  requiresThoughtSignatures: true,
});
const GEMINI_2 = caps({ inputModalities: ALL_MEDIA, jsonSchema: true, nativeTools: true });
const GEMINI_2_5 = caps({ ...GEMINI_2, reasoningMode: 'budget', reasoningVisibility: 'visible' });
const GEMINI_3 = caps({
  ...GEMINI_2,
  reasoningMode: 'level',
  reasoningVisibility: 'visible',
  requiresThoughtSignatures: true,
});
const GPT_VISION = caps({ inputModalities: TEXT_IMAGE, jsonSchema: true });
const OPENAI_REASONING = caps({
  inputModalities: TEXT_IMAGE,
  jsonSchema: true,
  reasoningMode: 'effort',
  reasoningVisibility: 'hidden',
});
const THINKING_TEXT = caps({ reasoningVisibility: 'visible' });
const VISION_VIDEO = caps({ inputModalities: TEXT_IMAGE_VIDEO });

/** A family of models: globs (case-insensitive, `*` never crosses `/`) and what they can do. */
export interface CapabilityRule {
  patterns: readonly string[];
  capabilities: ModelCapabilities;
}

/**
 * The registry, by model family. Order matters: the first rule with a matching pattern wins, so
 * specific families (`gemini-*-tts`, `*-image*`) come before general ones (`gemini-2.5*`).
 */
export const CAPABILITY_RULES: readonly CapabilityRule[] = [
  // Embeddings
  {
    patterns: ['gemini-embedding*', 'text-embedding-*', 'embedding-*', '*embedding*', 'embed-*', '*-embed-*'],
    capabilities: EMBEDDING,
  },
  { patterns: ['bge-m3*', 'bge-large-*', 'bge-base-*', 'bge-small-*'], capabilities: EMBEDDING },
  // Image and video generation
  { patterns: ['gpt-image*', 'chatgpt-image*', 'dall-e*', 'imagen-*'], capabilities: IMAGE_ONLY },
  { patterns: ['doubao-seedream*', 'doubao-seededit*'], capabilities: IMAGE_ONLY },
  {
    patterns: ['sora*'],
    capabilities: caps({ inputModalities: TEXT_IMAGE, outputModalities: ['video'], toolCalling: false }),
  },
  // Gemini: special-purpose models before the generation rules
  {
    patterns: ['gemini-*-tts*'],
    capabilities: caps({ outputModalities: ['audio'], toolCalling: false }),
  },
  {
    patterns: ['gemini-*-native-audio*', 'gemini-live-*'],
    capabilities: caps({ inputModalities: ['text', 'audio', 'video'], outputModalities: ['text', 'audio'] }),
  },
  { patterns: ['*nano-banana-pro*', 'gemini-3*-image*'], capabilities: GEMINI_3_IMAGE },
  { patterns: ['*nano-banana*', 'gemini-*-image*'], capabilities: GEMINI_IMAGE },
  { patterns: ['gemini-3*'], capabilities: GEMINI_3 },
  {
    patterns: ['gemini-2.5*', 'gemini-flash-latest', 'gemini-flash-lite-latest', 'gemini-pro-latest'],
    capabilities: GEMINI_2_5,
  },
  { patterns: ['gemini-2.0*', 'gemini-1.5*', 'gemini-exp*', 'gemini*'], capabilities: GEMINI_2 },
  { patterns: ['gemma-*'], capabilities: caps({ inputModalities: TEXT_IMAGE, toolCalling: false }) },
  // OpenAI
  {
    patterns: ['gpt-4o*audio*', 'gpt-4o*realtime*', 'gpt-audio*', 'gpt-realtime*'],
    capabilities: caps({ inputModalities: ['text', 'audio'], outputModalities: ['text', 'audio'] }),
  },
  { patterns: ['gpt-5*-chat*'], capabilities: GPT_VISION },
  { patterns: ['gpt-5*'], capabilities: OPENAI_REASONING },
  { patterns: ['gpt-4.1*', 'gpt-4o*', 'chatgpt-4o*', 'gpt-4.5*'], capabilities: GPT_VISION },
  {
    patterns: ['o1-mini*', 'o1-preview*'],
    capabilities: caps({ toolCalling: false, reasoningVisibility: 'hidden' }),
  },
  {
    patterns: ['o3-mini*'],
    capabilities: caps({ jsonSchema: true, reasoningMode: 'effort', reasoningVisibility: 'hidden' }),
  },
  { patterns: ['o1', 'o1-*', 'o3', 'o3-*', 'o4', 'o4-*'], capabilities: OPENAI_REASONING },
  { patterns: ['gpt-4-turbo*', 'gpt-4-vision*'], capabilities: caps({ inputModalities: TEXT_IMAGE }) },
  { patterns: ['gpt-4', 'gpt-4-*', 'gpt-3.5*'], capabilities: CONSERVATIVE_CAPABILITIES },
  {
    patterns: ['gpt-oss*'],
    capabilities: caps({ reasoningMode: 'effort', reasoningVisibility: 'visible' }),
  },
  // DeepSeek (aliases map deepseek-v3* and deepseek-r1* here)
  {
    patterns: ['deepseek-reasoner'],
    capabilities: caps({ reasoningMode: 'effort', reasoningVisibility: 'visible' }),
  },
  { patterns: ['deepseek-chat', 'deepseek*'], capabilities: CONSERVATIVE_CAPABILITIES },
  // Zhipu GLM
  { patterns: ['glm-4v*', 'glm-4.?v*', 'glm-5v*'], capabilities: VISION_VIDEO },
  { patterns: ['glm-z1*', 'glm-4.5*', 'glm-4.6*', 'glm-4.7*', 'glm-5*'], capabilities: THINKING_TEXT },
  { patterns: ['glm-*'], capabilities: CONSERVATIVE_CAPABILITIES },
  // ByteDance Doubao (ARK)
  { patterns: ['doubao-seed*'], capabilities: caps({ ...VISION_VIDEO, reasoningVisibility: 'visible' }) },
  { patterns: ['doubao-*vision*'], capabilities: VISION_VIDEO },
  { patterns: ['doubao-*'], capabilities: CONSERVATIVE_CAPABILITIES },
  // Qwen
  { patterns: ['qwen*-vl*', 'qwen-vl*', 'qvq*', 'qwen*-omni*'], capabilities: VISION_VIDEO },
  { patterns: ['qwq*', 'qwen3*'], capabilities: THINKING_TEXT },
  { patterns: ['qwen*'], capabilities: CONSERVATIVE_CAPABILITIES },
  // Anthropic (apiType 'anthropic', or through gateways such as OpenRouter): vision everywhere; extended
  // thinking (a token budget) from Claude 3.7; native JSON-schema output from Sonnet 4.5 / Opus 4.1 / Haiku 4.5 on.
  {
    patterns: [
      'claude-3-5*',
      'claude-3.5*',
      'claude-3-haiku*',
      'claude-3-opus*',
      'claude-3-sonnet*',
      'claude-2*',
      'claude-instant*',
    ],
    capabilities: caps({ inputModalities: TEXT_IMAGE }),
  },
  {
    patterns: [
      'claude-3-7*',
      'claude-3.7*',
      'claude-sonnet-4',
      'claude-sonnet-4-0*',
      'claude-sonnet-4-2025*',
      'claude-opus-4',
      'claude-opus-4-0*',
      'claude-opus-4-2025*',
      'claude-4-*',
    ],
    capabilities: caps({
      inputModalities: TEXT_IMAGE,
      reasoningMode: 'budget',
      reasoningVisibility: 'visible',
    }),
  },
  {
    patterns: ['claude*'],
    capabilities: caps({
      inputModalities: TEXT_IMAGE,
      reasoningMode: 'budget',
      reasoningVisibility: 'visible',
      jsonSchema: true,
    }),
  },
  {
    patterns: ['grok-3-mini*'],
    capabilities: caps({ reasoningMode: 'effort', reasoningVisibility: 'visible' }),
  },
  {
    patterns: ['grok-4*'],
    capabilities: caps({ inputModalities: TEXT_IMAGE, jsonSchema: true, reasoningVisibility: 'hidden' }),
  },
  { patterns: ['grok*'], capabilities: CONSERVATIVE_CAPABILITIES },
];

/** Model ids that are another model under a different name (first matching glob wins). */
export const CAPABILITY_ALIASES: readonly [glob: string, canonical: string][] = [
  ['deepseek-v3*', 'deepseek-chat'],
  ['deepseek-r1*', 'deepseek-reasoner'],
];
