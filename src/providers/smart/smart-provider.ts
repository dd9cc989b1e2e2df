import type { ProviderDefinition } from '../../spec/index.js';

/**
 * `smart`: a router. Model names containing `gemini` or `nano-banana` (case-insensitive) are spoken to
 * in the `gemini` dialect, every other one in `openai`. Needs an `apiBase` (a relay serving both).
 */
export const smartProvider: ProviderDefinition = {
  apiType: 'smart',
  resolveApiType(modelId) {
    const name = modelId.toLowerCase();
    return name.includes('gemini') || name.includes('nano-banana') ? 'gemini' : 'openai';
  },
};
