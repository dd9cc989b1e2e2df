import { describe, expect, it } from 'vitest';
import type { ModelCapabilities } from '../spec/index.js';
import {
  capabilityCandidates,
  findCapabilityRule,
  lookupCapabilities,
  mergeCapabilities,
} from './capability-registry.js';
import { CONSERVATIVE_CAPABILITIES } from './capability-table.js';

type Expect = Partial<ModelCapabilities>;

const table: [string, Expect][] = [
  // OpenAI
  [
    'gpt-4o',
    {
      inputModalities: ['text', 'image'],
      outputModalities: ['text'],
      jsonSchema: true,
      reasoningMode: 'none',
    },
  ],
  ['GPT-4o-Mini', { inputModalities: ['text', 'image'], jsonSchema: true }],
  ['gpt-4o-audio-preview', { inputModalities: ['text', 'audio'], outputModalities: ['text', 'audio'] }],
  ['gpt-4.1-mini', { jsonSchema: true, toolCalling: true, reasoningMode: 'none' }],
  ['gpt-5', { reasoningMode: 'effort', reasoningVisibility: 'hidden', jsonSchema: true }],
  ['gpt-5-mini-2025-08-07', { reasoningMode: 'effort', reasoningVisibility: 'hidden' }],
  ['gpt-5-chat-latest', { reasoningMode: 'none' }],
  ['o1', { reasoningMode: 'effort', reasoningVisibility: 'hidden' }],
  ['o3', { reasoningMode: 'effort' }],
  ['o3-pro', { reasoningMode: 'effort' }],
  ['o4-mini', { reasoningMode: 'effort', reasoningVisibility: 'hidden' }],
  ['o3-mini', { reasoningMode: 'effort', inputModalities: ['text'] }],
  ['gpt-image-1', { outputModalities: ['image'], toolCalling: false }],
  ['GPT-Image-1-Mini', { outputModalities: ['image'] }],
  ['dall-e-3', { outputModalities: ['image'] }],
  ['text-embedding-3-small', { embedding: true, outputModalities: ['embedding'], toolCalling: false }],
  // Gemini
  ['gemini-2.0-flash', { reasoningMode: 'none', jsonSchema: true, nativeTools: true }],
  ['gemini-2.0-flash-lite', { reasoningMode: 'none' }],
  [
    'gemini-2.5-flash',
    {
      inputModalities: ['text', 'image', 'audio', 'video'],
      reasoningMode: 'budget',
      reasoningVisibility: 'visible',
      jsonSchema: true,
      nativeTools: true,
      requiresThoughtSignatures: false,
    },
  ],
  ['gemini-2.5-flash-lite', { reasoningMode: 'budget' }],
  ['gemini-flash-latest', { reasoningMode: 'budget' }],
  [
    'gemini-2.5-flash-preview-tts',
    { outputModalities: ['audio'], toolCalling: false, reasoningMode: 'none' },
  ],
  ['gemini-2.5-flash-image-preview', { outputModalities: ['text', 'image'], reasoningMode: 'none' }],
  ['gemini-2.5-flash-image', { outputModalities: ['text', 'image'] }],
  ['gemini-2.0-flash-preview-image-generation', { outputModalities: ['text', 'image'] }],
  [
    'gemini-3-pro-preview',
    {
      reasoningMode: 'level',
      reasoningVisibility: 'visible',
      requiresThoughtSignatures: true,
      nativeTools: true,
    },
  ],
  ['gemini-3-flash-preview', { reasoningMode: 'level', jsonSchema: true }],
  ['gemini-3-pro-image-preview', { outputModalities: ['text', 'image'], requiresThoughtSignatures: true }],
  ['nano-banana', { outputModalities: ['text', 'image'] }],
  ['gemini-embedding-001', { embedding: true }],
  // DeepSeek
  ['deepseek-chat', { toolCalling: true, jsonSchema: false, reasoningMode: 'none' }],
  ['deepseek-reasoner', { reasoningMode: 'effort', reasoningVisibility: 'visible', jsonSchema: false }],
  // Zhipu, ARK, Qwen
  ['glm-4-flash', { toolCalling: true, inputModalities: ['text'] }],
  ['glm-4v-flash', { inputModalities: ['text', 'image', 'video'] }],
  ['GLM-4V-Plus-0111', { inputModalities: ['text', 'image', 'video'] }],
  ['glm-4.5', { reasoningVisibility: 'visible' }],
  ['embedding-3', { embedding: true }],
  ['doubao-seed-1-6-250615', { inputModalities: ['text', 'image', 'video'], toolCalling: true }],
  ['doubao-seedream-4-0-250828', { outputModalities: ['image'] }],
  ['qwen-max', { toolCalling: true, reasoningMode: 'none' }],
  ['qwen-vl-max', { inputModalities: ['text', 'image', 'video'] }],
  ['qwen3-235b-a22b', { reasoningVisibility: 'visible' }],
  // Anthropic: thinking from 3.7; native JSON-schema output from Sonnet 4.5 / Opus 4.1 / Haiku 4.5
  [
    'claude-3-5-haiku-20241022',
    { reasoningMode: 'none', jsonSchema: false, inputModalities: ['text', 'image'] },
  ],
  ['claude-3-7-sonnet-20250219', { reasoningMode: 'budget', jsonSchema: false }],
  ['claude-sonnet-4-20250514', { reasoningMode: 'budget', jsonSchema: false }],
  ['claude-opus-4-0', { reasoningMode: 'budget', jsonSchema: false }],
  ['claude-opus-4-1-20250805', { reasoningMode: 'budget', jsonSchema: true }],
  ['claude-sonnet-4-5-20250929', { reasoningMode: 'budget', jsonSchema: true, toolCalling: true }],
  [
    'claude-haiku-4-5-20251001',
    { reasoningMode: 'budget', jsonSchema: true, inputModalities: ['text', 'image'] },
  ],
  ['claude-opus-4-6', { reasoningMode: 'budget', reasoningVisibility: 'visible', jsonSchema: true }],
  // Gateways: every "/"-suffix is tried
  ['google/gemini-2.5-pro', { reasoningMode: 'budget', jsonSchema: true }],
  ['anthropic/claude-sonnet-4', { reasoningMode: 'budget', inputModalities: ['text', 'image'] }],
  ['anthropic/claude-3.5-sonnet', { reasoningMode: 'none' }],
  ['x-ai/grok-4', { inputModalities: ['text', 'image'], toolCalling: true }],
  ['x-ai/grok-3-mini', { reasoningMode: 'effort', reasoningVisibility: 'visible' }],
  ['BAAI/bge-m3', { embedding: true }],
];

describe('lookupCapabilities', () => {
  it.each(table)('%s', (model, expected) => {
    expect(lookupCapabilities(model)).toMatchObject(expected);
  });

  it('fixes the seed quirks: case, gpt-image, TTS before gemini-2.5, bare o1/o3', () => {
    expect(findCapabilityRule('GLM-4V-Flash')?.pattern).toBe('glm-4v*');
    expect(findCapabilityRule('glm-4v-flash')?.pattern).toBe('glm-4v*');
    expect(findCapabilityRule('gpt-image-1')?.pattern).toBe('gpt-image*');
    expect(findCapabilityRule('gemini-2.5-flash-preview-tts')?.pattern).toBe('gemini-*-tts*');
    expect(findCapabilityRule('o1')?.pattern).toBe('o1');
    expect(findCapabilityRule('o3')?.pattern).toBe('o3');
  });

  it('maps aliases: deepseek-v3* to deepseek-chat and deepseek-r1* to deepseek-reasoner', () => {
    expect(findCapabilityRule('deepseek-ai/DeepSeek-V3')).toMatchObject({ candidate: 'deepseek-chat' });
    expect(findCapabilityRule('deepseek-r1-250528')).toMatchObject({ candidate: 'deepseek-reasoner' });
    expect(lookupCapabilities('Pro/deepseek-ai/DeepSeek-R1').reasoningMode).toBe('effort');
    // OpenRouter: the provider prefix must not make it a generic deepseek model
    expect(lookupCapabilities('deepseek/deepseek-r1:free').reasoningMode).toBe('effort');
  });

  it('tries every /-suffix, each first without its :variant tag', () => {
    expect(capabilityCandidates('a/b/c')).toEqual(['a/b/c', 'b/c', 'c']);
    expect(capabilityCandidates('deepseek/deepseek-reasoner:free')).toEqual([
      'deepseek/deepseek-reasoner',
      'deepseek/deepseek-reasoner:free',
      'deepseek-reasoner',
      'deepseek-reasoner:free',
    ]);
    expect(findCapabilityRule('openrouter/deepseek/deepseek-reasoner:free')?.pattern).toBe(
      'deepseek-reasoner',
    );
  });

  it('gives unknown models conservative capabilities, not everything', () => {
    expect(findCapabilityRule('my-private-model')).toBeUndefined();
    expect(lookupCapabilities('my-private-model')).toEqual({
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
    expect(lookupCapabilities('')).toEqual(CONSERVATIVE_CAPABILITIES);
  });

  it('returns a fresh object every time', () => {
    const first = lookupCapabilities('gpt-4o');
    first.inputModalities.push('audio');
    first.jsonSchema = false;
    expect(lookupCapabilities('gpt-4o')).toMatchObject({
      inputModalities: ['text', 'image'],
      jsonSchema: true,
    });
    const unknown = lookupCapabilities('x');
    unknown.outputModalities.push('image');
    expect(lookupCapabilities('x').outputModalities).toEqual(['text']);
  });
});

describe('mergeCapabilities', () => {
  it('merges overrides field by field over the registry and copies arrays', () => {
    const modalities: ModelCapabilities['inputModalities'] = ['text', 'audio'];
    const merged = mergeCapabilities(lookupCapabilities('deepseek-chat'), {
      jsonSchema: true,
      inputModalities: modalities,
    });
    expect(merged).toMatchObject({ jsonSchema: true, inputModalities: ['text', 'audio'], toolCalling: true });
    modalities.push('video');
    expect(merged.inputModalities).toEqual(['text', 'audio']);
  });

  it('leaves the base unchanged without overrides', () => {
    const base = lookupCapabilities('gpt-4o');
    expect(mergeCapabilities(base, undefined)).toEqual(base);
    expect(mergeCapabilities(base, { toolCalling: undefined }).toolCalling).toBe(true);
  });
});
