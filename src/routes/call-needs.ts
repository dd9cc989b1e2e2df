import type { ResolvedModel } from '../config/resolved-config.js';
import type { LLMMessage, Modality } from '../spec/index.js';

/** What a call needs of a model, so a route skips the targets that cannot serve it (API.md §14). */
export interface CallNeeds {
  /** The call sends function tools (and does not set `toolChoice: 'none'`). */
  tools: boolean;
  /** Media the messages carry: `image`, `audio`, `video` (files are not checked). */
  media: readonly Modality[];
}

/** A call that needs nothing special (embeddings, images, plain text chat). */
export const NO_NEEDS: CallNeeds = Object.freeze({
  tools: false,
  media: Object.freeze([]) as readonly Modality[],
});

const MEDIA: ReadonlySet<string> = new Set(['image', 'audio', 'video']);

/** The needs of a call sending `messages`, with or without function tools. */
export function needsOf(messages: readonly LLMMessage[], tools: boolean): CallNeeds {
  let media: Modality[] | undefined;
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (!MEDIA.has(part.type)) continue;
      media ??= [];
      if (!media.includes(part.type as Modality)) media.push(part.type as Modality);
    }
  }
  return media === undefined && !tools ? NO_NEEDS : { tools, media: media ?? [] };
}

/**
 * Why `model` cannot serve a call with `needs`, or undefined when it can. `contextFloor` is set once a target
 * failed with `CONTEXT_LENGTH_EXCEEDED`: the largest known window among those that failed (0 when none was
 * known); then only targets with a known, larger `contextWindow` are tried.
 */
export function skipReason(
  model: ResolvedModel,
  needs: CallNeeds,
  contextFloor: number | undefined,
): string | undefined {
  if (!model.available) {
    const reason = model.unavailableReason != null ? `: ${model.unavailableReason}` : '';
    return `unavailable (configured available: false${reason})`;
  }
  const capabilities = model.capabilities;
  if (needs.tools && !capabilities.toolCalling) return 'no tool calling, and the call has tools';
  for (const modality of needs.media) {
    if (!capabilities.inputModalities.includes(modality)) return `no ${modality} input, and the call has one`;
  }
  if (contextFloor !== undefined) {
    const window = model.contextWindow;
    if (window == null) {
      return 'context window unknown, and an earlier target exceeded its context (set contextWindow to try it)';
    }
    if (window <= contextFloor) {
      return `context window ${window} is not larger than ${contextFloor}, which the call already exceeded`;
    }
  }
  return undefined;
}
