/** Which models and routes a client token may call. */
export interface ModelMatcher {
  /** The first name in `model` (a name or a fallback list) the token may not use; `undefined` when all are allowed. */
  firstDenied(model: string | readonly string[]): string | undefined;
  /** Whether one name is allowed. */
  allows(name: string): boolean;
}

/** Every model allowed (a token without `models`, or the unauthenticated loopback mode). */
export const ALLOW_ALL: ModelMatcher = {
  firstDenied: () => undefined,
  allows: () => true,
};

function globSource(glob: string): string {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return source;
}

/**
 * Compiles a token's `models` globs into one anchored, case-insensitive RegExp. Unlike the capability
 * registry's globs (`models/glob.ts`, where `*` stops at `/`), `*` here matches any run of characters, `/`
 * included, so `OpenRouter/*` covers `OpenRouter/deepseek/deepseek-r1` and `*` covers everything.
 *
 * @example modelMatcher(['OpenAI/gpt-4o*', 'smart']).allows('openai/GPT-4o-mini') // true
 */
export function modelMatcher(globs: readonly string[] | undefined): ModelMatcher {
  if (globs == null) return ALLOW_ALL;
  const pattern = new RegExp(`^(?:${globs.map(globSource).join('|') || '(?!)'})$`, 'i');
  const allows = (name: string) => pattern.test(name.trim());
  return {
    allows,
    firstDenied: (model) => {
      if (typeof model === 'string') return allows(model) ? undefined : model;
      return model.find((name) => !allows(name));
    },
  };
}
