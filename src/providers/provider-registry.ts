import { LLMError } from '../errors/llm-error.js';
import type { ConfigIssue, ProviderDefinition } from '../spec/index.js';
import { checkProviderDefinition } from './check-provider-definition.js';

/** Options of `registerProvider`. */
export interface RegisterProviderOptions {
  /**
   * Replace an already registered definition of the same `apiType` (a built-in one included). Clients
   * already created keep the definition they were created with. @default false
   */
  replace?: boolean;
}

const definitions = new Map<string, ProviderDefinition>();

/**
 * Adds an `apiType` (API.md §13): config validation accepts it from now on, models of that type
 * resolve to it, and every call works with it. The definition is checked as a whole (every problem by
 * path in one `CONFIGURATION_ERROR`) and kept as a frozen copy. Registering a type twice is a
 * `CONFIGURATION_ERROR` unless `{ replace: true }`.
 *
 * @example registerProvider({ apiType: 'toy', defaultApiBase: 'https://api.toy.example', chat: () => toyChat })
 */
export function registerProvider(
  definition: ProviderDefinition,
  options: RegisterProviderOptions = {},
): void {
  const issues: ConfigIssue[] = checkProviderDefinition(definition);
  const apiType = (definition as { apiType?: unknown } | undefined)?.apiType;
  if (issues.length === 0 && typeof apiType === 'string') {
    if (definitions.has(apiType) && options.replace !== true) {
      issues.push({
        path: 'apiType',
        message: `"${apiType}" is already registered (pass { replace: true } to replace it)`,
      });
    }
  }
  if (issues.length > 0) {
    const lines = issues.map((issue) => `${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`);
    throw new LLMError('CONFIGURATION_ERROR', `Invalid provider definition:\n${lines.join('\n')}`, {
      details: { issues },
    });
  }
  definitions.set(definition.apiType, Object.freeze({ ...definition }));
}

/** The definition registered for `apiType`, if any. */
export function getProviderDefinition(apiType: string): ProviderDefinition | undefined {
  return definitions.get(apiType);
}

/** Every registered apiType, in registration order. */
export function registeredApiTypes(): string[] {
  return [...definitions.keys()];
}

/** Removes a registration (tests of user providers); true when there was one. */
export function unregisterProvider(apiType: string): boolean {
  return definitions.delete(apiType);
}
