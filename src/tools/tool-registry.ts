import { LLMError } from '../errors/llm-error.js';
import { geminiCodeExecution, geminiGoogleSearch } from '../generation/native-tools.js';
import type { FunctionToolSpec, ProviderToolSpec, ToolProvider, ToolSpec } from '../spec/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { normalizeTool, type PlainTool } from './normalize-tool.js';
import type { ToolLogger } from './tool-invoker.js';
import { messageOf } from './tool-output.js';

/** Options of a `ToolProviderRegistry`. */
export interface ToolProviderRegistryOptions {
  /** Receives provider failures (initialize, discover, getTool). @default silent */
  logger?: ToolLogger;
  /**
   * How long a provider's `discoverTools()` list is reused. A name missing from a cached list always
   * triggers a fresh discovery, so tools added later are found at once. @default 10000
   */
  discoveryTtlMs?: number;
  /** @default the system clock */
  clock?: Clock;
}

/** Tool names that resolve to Gemini's native tools, before any provider is asked. */
const NATIVE_TOOL_NAMES: Record<string, () => ProviderToolSpec> = {
  google_search: geminiGoogleSearch,
  code_execution: geminiCodeExecution,
  // Without URLs the model reads the URLs written in the prompt.
  url_context: () => ({ kind: 'provider', provider: 'gemini', type: 'url_context' }),
};

type DiscoveryRound = Map<ProviderState, Promise<FunctionToolSpec[] | undefined>>;

interface ProviderState {
  provider: ToolProvider;
  /** Successful (or in-flight) initialization; cleared on failure so a later resolve retries. */
  initializing?: Promise<void>;
  discovered?: { tools: FunctionToolSpec[]; at: number };
}

/**
 * Tools resolved by name (`tools: ['search_docs']`). A name is looked up, in order: Gemini's native tools
 * (`google_search`, `code_execution`, `url_context`); function tools added with `registerTools`; then the
 * tool providers in registration order — `getTool(name)` when the provider has it, else its
 * `discoverTools()` list — and the first hit wins. `initialize()` runs once per provider before its first
 * use. A provider that throws is logged and skipped: the others still resolve.
 */
export class ToolProviderRegistry {
  private readonly states: ProviderState[] = [];
  /** Tools added with `registerTools`, by name, with the object they were registered from. */
  private readonly functions = new Map<string, { source: unknown; spec: FunctionToolSpec }>();
  private readonly logger: ToolLogger | undefined;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(options: ToolProviderRegistryOptions = {}) {
    this.logger = options.logger;
    this.ttlMs = options.discoveryTtlMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Adds a provider (after the others). Registering the same object again does nothing; another provider
   * with the same name replaces it in place (with a warning).
   * @throws LLMError `INVALID_PARAMETER` for an object without `name` or `discoverTools`.
   */
  register(provider: ToolProvider): void {
    if (
      typeof provider !== 'object' ||
      provider === null ||
      typeof provider.name !== 'string' ||
      provider.name === '' ||
      typeof provider.discoverTools !== 'function'
    ) {
      throw new LLMError(
        'INVALID_PARAMETER',
        'registerToolProvider: a tool provider needs a non-empty name and a discoverTools() method',
      );
    }
    const index = this.states.findIndex((state) => state.provider.name === provider.name);
    if (index < 0) {
      this.states.push({ provider });
      return;
    }
    if (this.states[index]?.provider === provider) return;
    this.warn(provider.name, undefined, 'a tool provider with this name was registered again; replaced');
    this.states[index] = { provider };
  }

  /**
   * Adds function tools (`functionTool(…)` or plain `{ name, description, parameters, execute }` tools) so
   * that calls find them by name: `tools: ['get_weather']` (the seed's `@function_tool`). All tools are
   * checked before any is added. Registering the same object again does nothing; a *different* tool under a
   * registered name is refused (two plugins defining one name would otherwise shadow each other silently):
   * `unregisterTools(name)` first to replace it, e.g. on a plugin reload.
   * @throws LLMError `INVALID_PARAMETER` naming the tool: a bad definition, a provider tool or a string, a
   *   native tool's name, a name already registered for another tool, the same name twice in one call.
   * @example registry.registerTools(weather, clock)
   */
  registerTools(...tools: (FunctionToolSpec | PlainTool)[]): void {
    const added = new Map<string, { source: unknown; spec: FunctionToolSpec }>();
    tools.forEach((tool, index) => {
      const path = `registerTools: tools[${index}]`;
      if (typeof tool === 'string') {
        throw new LLMError('INVALID_PARAMETER', `${path}: is a name; register the tool object itself`, {
          details: { path: `tools[${index}]` },
        });
      }
      let spec: ToolSpec;
      try {
        spec = normalizeTool(tool);
      } catch (error) {
        const cause = LLMError.from(error, 'INVALID_PARAMETER');
        throw new LLMError(cause.code, `${path}: ${cause.message}`, {
          details: { ...cause.details, path: `tools[${index}]` },
          cause,
        });
      }
      if (spec.kind === 'provider') {
        throw new LLMError(
          'INVALID_PARAMETER',
          `${path}: provider tools (${spec.type}) are not registered; name them directly ('${spec.type}') or pass the object`,
          { details: { path: `tools[${index}]` } },
        );
      }
      const { name } = spec;
      if (Object.hasOwn(NATIVE_TOOL_NAMES, name)) {
        throw new LLMError('INVALID_PARAMETER', `${path}: '${name}' is the name of a Gemini native tool`, {
          details: { path: `tools[${index}]`, tool: name },
        });
      }
      const existing = added.get(name) ?? this.functions.get(name);
      if (existing !== undefined && existing.source !== tool) {
        const where = added.has(name) ? 'twice in this call' : 'already registered for another tool';
        throw new LLMError(
          'INVALID_PARAMETER',
          `${path}: the name '${name}' is ${where}; call unregisterTools('${name}') first to replace it`,
          { details: { path: `tools[${index}]`, tool: name } },
        );
      }
      added.set(name, { source: tool, spec });
    });
    for (const [name, entry] of added) this.functions.set(name, entry);
  }

  /** Removes tools added with `registerTools`, by name; returns the names that were registered. */
  unregisterTools(...names: string[]): string[] {
    return names.filter((name) => this.functions.delete(name));
  }

  /** Removes a provider by name and returns it (closing it is the caller's call), or `undefined`. */
  unregister(name: string): ToolProvider | undefined {
    const index = this.states.findIndex((state) => state.provider.name === name);
    if (index < 0) return undefined;
    const [state] = this.states.splice(index, 1);
    return state?.provider;
  }

  /** The registered providers, in order. */
  list(): ToolProvider[] {
    return this.states.map((state) => state.provider);
  }

  /**
   * The tools named, in order.
   * @throws LLMError `INVALID_PARAMETER` "unknown tool 'x'; known tools: …" for names no provider knows.
   */
  async resolve(names: readonly string[]): Promise<ToolSpec[]> {
    // Fresh discoveries made for this call, shared by its names (one list request per provider at most).
    const round: DiscoveryRound = new Map();
    const found = await Promise.all(names.map((name) => this.resolveOne(name, round)));
    const unknown = names.filter((_, i) => found[i] === undefined);
    if (unknown.length > 0) {
      const known = await this.knownNames();
      const list = unknown.map((name) => `'${name}'`).join(', ');
      throw new LLMError(
        'INVALID_PARAMETER',
        `unknown tool${unknown.length > 1 ? 's' : ''} ${list}; known tools: ${known.join(', ')}`,
        { details: { unknown, known } },
      );
    }
    return found as ToolSpec[];
  }

  /** Names every provider offers now, plus the native tool names (for messages and listings). */
  async knownNames(): Promise<string[]> {
    const names = new Set<string>(this.functions.keys());
    for (const state of [...this.states]) {
      const tools = await this.discover(state, false);
      for (const tool of tools ?? []) names.add(tool.name);
    }
    for (const name of Object.keys(NATIVE_TOOL_NAMES)) names.add(name);
    return [...names];
  }

  /** Closes every provider that has `close()` (failures logged), and forgets them. */
  async close(): Promise<void> {
    const states = this.states.splice(0);
    await Promise.all(
      states.map(async ({ provider }) => {
        try {
          await provider.close?.();
        } catch (error) {
          this.warn(provider.name, error, 'tool provider close() failed');
        }
      }),
    );
  }

  private async resolveOne(name: string, round: DiscoveryRound): Promise<ToolSpec | undefined> {
    const native = NATIVE_TOOL_NAMES[name];
    if (native !== undefined && Object.hasOwn(NATIVE_TOOL_NAMES, name)) return native();
    const registered = this.functions.get(name);
    if (registered !== undefined) return registered.spec;
    for (const state of [...this.states]) {
      const tool = await this.ask(state, name, round);
      if (tool !== undefined) return tool;
    }
    return undefined;
  }

  private async ask(
    state: ProviderState,
    name: string,
    round: DiscoveryRound,
  ): Promise<FunctionToolSpec | undefined> {
    if (!(await this.initialize(state))) return undefined;
    const { provider } = state;
    if (typeof provider.getTool === 'function') {
      try {
        return (await provider.getTool(name)) ?? undefined;
      } catch (error) {
        this.warn(provider.name, error, `tool provider getTool('${name}') failed; provider skipped`);
        return undefined;
      }
    }
    const cached = state.discovered;
    if (!round.has(state) && cached !== undefined && this.clock.now() - cached.at < this.ttlMs) {
      const hit = cached.tools.find((tool) => tool.name === name);
      if (hit !== undefined) return hit;
    }
    // A miss (or a stale list) asks again, so tools the provider gained since are found.
    let fresh = round.get(state);
    if (fresh === undefined) {
      fresh = this.discover(state, true);
      round.set(state, fresh);
    }
    return (await fresh)?.find((tool) => tool.name === name);
  }

  /** The provider's tools (`undefined` when it failed); `fresh` skips the cache. */
  private async discover(state: ProviderState, fresh: boolean): Promise<FunctionToolSpec[] | undefined> {
    if (!(await this.initialize(state))) return undefined;
    const cached = state.discovered;
    if (!fresh && cached !== undefined && this.clock.now() - cached.at < this.ttlMs) return cached.tools;
    try {
      const tools = await state.provider.discoverTools();
      const list = Array.isArray(tools) ? tools.filter((tool) => typeof tool?.name === 'string') : [];
      state.discovered = { tools: list, at: this.clock.now() };
      return list;
    } catch (error) {
      this.warn(state.provider.name, error, 'tool provider discoverTools() failed; provider skipped');
      return undefined;
    }
  }

  /** True once the provider is initialized; a failure is logged and retried on the next use. */
  private async initialize(state: ProviderState): Promise<boolean> {
    if (state.initializing === undefined) {
      const { provider } = state;
      state.initializing = Promise.resolve().then(() => provider.initialize?.());
    }
    const initializing = state.initializing;
    try {
      await initializing;
      return true;
    } catch (error) {
      if (state.initializing === initializing) {
        state.initializing = undefined;
        this.warn(state.provider.name, error, 'tool provider initialize() failed; provider skipped');
      }
      return false;
    }
  }

  private warn(provider: string, error: unknown, message: string): void {
    try {
      this.logger?.warn({ provider, ...(error !== undefined ? { error: messageOf(error) } : {}) }, message);
    } catch {
      // a logger must never break tool resolution
    }
  }
}

/** The registry the module-level functions and clients use unless given their own. */
export const defaultToolRegistry = new ToolProviderRegistry();

/** Adds a tool provider to the default registry (see `ToolProviderRegistry.register`). */
export function registerToolProvider(provider: ToolProvider): void {
  defaultToolRegistry.register(provider);
}

/**
 * Adds function tools to the default registry, so that `tools: ['get_weather']` finds them in every client
 * using it (see `ToolProviderRegistry.registerTools`: re-registering the same object is a no-op, another tool
 * under a taken name is refused until `unregisterTools(name)`).
 * @example registerTools(functionTool({ name: 'get_weather', parameters: z.object({ city: z.string() }), execute }))
 */
export function registerTools(...tools: (FunctionToolSpec | PlainTool)[]): void {
  defaultToolRegistry.registerTools(...tools);
}

/** Removes tools added with `registerTools` from the default registry; returns the names that were there. */
export function unregisterTools(...names: string[]): string[] {
  return defaultToolRegistry.unregisterTools(...names);
}

/** Removes a tool provider from the default registry by name; returns it, or `undefined`. */
export function unregisterToolProvider(name: string): ToolProvider | undefined {
  return defaultToolRegistry.unregister(name);
}
