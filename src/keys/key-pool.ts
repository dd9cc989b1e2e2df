import { LLMError } from '../errors/llm-error.js';
import { abortedError } from '../http/call-signal.js';
import { registerSecrets } from '../logging/secrets.js';
import type { KeyStats } from '../spec/index.js';
import { type Clock, systemClock } from '../util/clock.js';
import { hashKey, keyIdsOf } from '../util/key-id.js';
import { errorText } from './error-text.js';
import {
  availableFrom,
  emptyKeyState,
  isFree,
  type KeyOutcome,
  type KeyState,
  keyStatsOf,
  nextKeyState,
  resetKeyState,
  softCooldownOf,
} from './key-health.js';
import type { KeyStateStore, KeyStoreLogger, SharedCursor } from './key-store.js';
import { MemoryKeyStore } from './memory-key-store.js';
import { resolveKeyId } from './resolve-key-id.js';

/** A key chosen for one attempt. */
export interface KeyLease {
  /** The API key; goes into the auth header of this attempt and nowhere else. */
  readonly key: string;
  /** Its public id (`sk-a…wxyz` / `key#1a2b3c`), unique within the provider (`keyIdsOf`). */
  readonly keyId: string;
  /** How long the call waited for a key to come back from cooldown. */
  readonly waitedMs: number;
}

export interface AcquireOptions {
  /** Key ids this call must not use (keys that failed it with `API_KEY_INVALID` / `API_QUOTA_EXCEEDED`). */
  exclude?: ReadonlySet<string>;
  /** Epoch ms (pool clock): a key returning later than this is not waited for. */
  deadline: number;
  /** The caller's signal: aborts the wait at once with `ABORTED`. */
  signal?: AbortSignal;
}

/** The keys of one provider, their health and their rotation. */
export interface KeyPool {
  readonly provider: string;
  /**
   * Synchronous pick: the next key available for `model`, round-robin (a cursor per model) — when every
   * usable key is soft-cooling (server error, timeout), the one with the fewest consecutive failures — or
   * undefined when none is usable right now, the saved state is still loading, or the rotation is shared
   * through the store (Redis) and more than one key is available — `acquire` then reads the shared cursor.
   */
  select(model: string, exclude?: ReadonlySet<string>): KeyLease | undefined;
  /**
   * A key for `model`: at once when one is available, else after waiting for the earliest cooldown to
   * end when that is before `deadline`; otherwise `NO_AVAILABLE_KEYS` with `retryAfterMs` (none when
   * every key is disabled). The wait ends with `ABORTED` when `signal` fires.
   */
  acquire(model: string, options: AcquireOptions): Promise<KeyLease>;
  /** Records the outcome of one attempt with `key` on `model` (API.md §6 table). Unknown keys are ignored. */
  report(key: string, model: string, outcome: KeyOutcome): void;
  /** Health of every key, in configuration order (as last loaded: `refresh` first for a shared store). */
  stats(): KeyStats[];
  /**
   * Re-enables keys and clears cooldowns (counters kept): one key, else all; returns how many. The key is
   * named by its id (`...` accepted for `…`), or the key itself (`resolveKeyId`); an unknown or ambiguous
   * id throws `INVALID_PARAMETER` listing the valid ids.
   */
  reset(keyId?: string): number;
  /**
   * Resolves when the saved state is loaded (immediately for memory and file stores; for a shared store
   * that cannot be reached, as soon as it has gone local). Rejects with `CONFIGURATION_ERROR` when a
   * shared store cannot start (rejected credentials, missing package); read it again to retry.
   */
  readonly ready: Promise<void>;
  /** Shared store: waits for pending saves, then reloads every key's state from the store. */
  refresh(): Promise<void>;
  /** Resolves when the outcomes reported so far are saved (at once for synchronous stores). */
  settled(): Promise<void>;
}

export interface KeyPoolOptions {
  provider: string;
  keys: readonly string[];
  /** @default a fresh memory store */
  store?: KeyStateStore;
  /** @default systemClock */
  clock?: Clock;
  /** Warned when a shared store fails. */
  logger?: KeyStoreLogger;
  /**
   * Where round-robin starts for a model: `'first'` (the first key in the config), or `'least-used'` (the
   * key with the fewest calls in the loaded state, the first of those on a tie) — for short-lived processes
   * such as the CLI, which make one call per run and would otherwise always start at the first key.
   * A shared store's rotation (Redis) is unaffected. @default 'first'
   */
  rotationStart?: 'first' | 'least-used';
}

interface KeyEntry {
  key: string;
  keyId: string;
  hash: string;
  /** Returned by `select` (waitedMs 0), allocated once. */
  lease: KeyLease;
  state: KeyState;
}

class Pool implements KeyPool {
  readonly provider: string;
  private readonly entries: KeyEntry[];
  private readonly byKey = new Map<string, KeyEntry>();
  private readonly byHash = new Map<string, KeyEntry>();
  private readonly cursors = new Map<string, number>();
  private readonly store: KeyStateStore;
  private readonly clock: Clock;
  private readonly logger: KeyStoreLogger | undefined;
  private readonly rotationStart: 'first' | 'least-used';
  /** The store pushes every state change (shared store): mirror it rather than apply updates here. */
  private readonly watching: boolean;
  private readonly shared: SharedCursor | undefined;
  private readonly saving = new Set<Promise<unknown>>();
  private loaded = false;
  private loading: Promise<void> | undefined;
  private saveFailing = false;

  constructor(options: KeyPoolOptions) {
    this.provider = options.provider;
    this.store = options.store ?? new MemoryKeyStore();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.rotationStart = options.rotationStart ?? 'first';
    this.entries = [];
    const keys = [...new Set(options.keys)];
    const ids = keyIdsOf(keys);
    for (const [index, key] of keys.entries()) {
      const keyId = ids[index]!;
      const entry: KeyEntry = {
        key,
        keyId,
        hash: hashKey(key),
        lease: Object.freeze({ key, keyId, waitedMs: 0 }),
        state: emptyKeyState(),
      };
      this.entries.push(entry);
      this.byKey.set(key, entry);
      this.byHash.set(entry.hash, entry);
    }
    registerSecrets(this.byKey.keys());
    this.shared = this.store.cursor;
    this.watching = this.store.watch != null;
    this.store.watch?.(this.provider, (hash, state) => {
      const entry = this.byHash.get(hash);
      if (entry != null) entry.state = state;
    });
    const saved = this.store.load(this.provider);
    if (saved instanceof Promise) {
      this.loading = this.loadFrom(saved);
      // Whoever awaits `ready` sees a start-up failure; nobody else must.
      this.loading.catch(() => undefined);
    } else {
      this.apply(saved);
    }
  }

  get ready(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    this.loading ??= this.loadFrom(this.store.load(this.provider));
    return this.loading;
  }

  private async loadFrom(
    saved: ReadonlyMap<string, KeyState> | Promise<ReadonlyMap<string, KeyState>>,
  ): Promise<void> {
    try {
      this.apply(await saved);
    } catch (error) {
      if (LLMError.isInstance(error) && error.code === 'CONFIGURATION_ERROR') {
        // A store that cannot start (rejected credentials, missing package): fail the calls, retry on the next.
        this.loading = undefined;
        throw error;
      }
      this.loaded = true;
      this.logger?.warn(
        { provider: this.provider, error: errorText(error) },
        'switchboard: could not load key state; starting clean',
      );
    }
  }

  private apply(states: ReadonlyMap<string, KeyState>): void {
    for (const entry of this.entries) {
      const saved = states.get(entry.hash);
      if (saved != null) entry.state = saved;
    }
    this.loaded = true;
  }

  async refresh(): Promise<void> {
    if (!this.loaded) await this.ready;
    await this.settled();
    const saved = this.store.load(this.provider);
    if (!(saved instanceof Promise)) return;
    try {
      this.apply(await saved);
    } catch {
      // The shared store warned; the local view stands.
    }
  }

  async settled(): Promise<void> {
    while (this.saving.size > 0) await Promise.allSettled([...this.saving]);
  }

  select(model: string, exclude?: ReadonlySet<string>): KeyLease | undefined {
    if (!this.loaded) return undefined;
    // A shared rotation needs the cursor (a round trip): leave it to `acquire` when there is a choice.
    if (this.shared?.available === true && this.countAvailable(model, exclude, 2) > 1) return undefined;
    return this.selectLocal(model, exclude);
  }

  /**
   * Round-robin over the keys available for `model` with this process's cursor; when every usable key is
   * soft-cooling, the one with the fewest consecutive failures (API.md §6: a soft cooldown only steers).
   */
  private selectLocal(model: string, exclude?: ReadonlySet<string>): KeyLease | undefined {
    const entries = this.entries;
    const count = entries.length;
    if (count === 0) return undefined;
    const now = this.clock.now();
    const start = (this.cursors.get(model) ?? this.firstIndex()) % count;
    let fallback = -1;
    for (let step = 0; step < count; step++) {
      const index = (start + step) % count;
      const entry = entries[index]!;
      if (exclude != null && exclude.size > 0 && exclude.has(entry.keyId)) continue;
      if (availableFrom(entry.state, model) > now) continue;
      if (softCooldownOf(entry.state, model) <= now) {
        this.cursors.set(model, index + 1);
        return entry.lease;
      }
      if (fallback < 0 || entry.state.consecutiveFailures < entries[fallback]!.state.consecutiveFailures) {
        fallback = index;
      }
    }
    if (fallback < 0) return undefined;
    this.cursors.set(model, fallback + 1);
    return entries[fallback]!.lease;
  }

  /** Where a model's rotation starts before its first pick (see `rotationStart`). */
  private firstIndex(): number {
    if (this.rotationStart === 'first') return 0;
    let best = 0;
    let fewest = Number.POSITIVE_INFINITY;
    this.entries.forEach((entry, index) => {
      const calls = entry.state.successCount + entry.state.failureCount;
      if (calls < fewest) {
        fewest = calls;
        best = index;
      }
    });
    return best;
  }

  /** Keys usable for `model` now and not soft-cooling (not excluded, not disabled), counting up to `limit`. */
  private countAvailable(model: string, exclude: ReadonlySet<string> | undefined, limit: number): number {
    const now = this.clock.now();
    let count = 0;
    for (const entry of this.entries) {
      if (exclude != null && exclude.size > 0 && exclude.has(entry.keyId)) continue;
      if (isFree(entry.state, model, now) && ++count >= limit) break;
    }
    return count;
  }

  /** Pick with the cursor shared through the store: the ticket's turn among the keys available now. */
  private async selectShared(
    shared: SharedCursor,
    model: string,
    exclude?: ReadonlySet<string>,
  ): Promise<KeyLease | undefined> {
    if (!shared.available || this.countAvailable(model, exclude, 2) < 2)
      return this.selectLocal(model, exclude);
    const ticket = await shared.next(this.provider, model);
    if (ticket == null) return this.selectLocal(model, exclude);
    // States may have changed during the round trip: count again and take the ticket's turn.
    const count = this.countAvailable(model, exclude, Number.POSITIVE_INFINITY);
    if (count === 0) return this.selectLocal(model, exclude);
    let turn = (ticket - 1) % count;
    const now = this.clock.now();
    for (const entry of this.entries) {
      if (exclude != null && exclude.size > 0 && exclude.has(entry.keyId)) continue;
      if (isFree(entry.state, model, now) && turn-- === 0) return entry.lease;
    }
    return undefined;
  }

  async acquire(model: string, options: AcquireOptions): Promise<KeyLease> {
    if (!this.loaded) await this.ready;
    const { signal, deadline, exclude } = options;
    const context = { provider: this.provider, model };
    const started = this.clock.now();
    for (;;) {
      if (signal?.aborted) throw abortedError(context, signal.reason);
      const lease =
        this.shared != null
          ? await this.selectShared(this.shared, model, exclude)
          : this.select(model, exclude);
      if (lease != null) {
        const waitedMs = this.clock.now() - started;
        return waitedMs > 0 ? { key: lease.key, keyId: lease.keyId, waitedMs } : lease;
      }
      const now = this.clock.now();
      const earliest = this.earliest(model, exclude);
      if (earliest === Number.POSITIVE_INFINITY) throw this.noKeys(model, exclude);
      if (earliest >= deadline) {
        throw new LLMError(
          'NO_AVAILABLE_KEYS',
          `Every key of ${this.provider} is cooling down for ${model}; the first returns in ${Math.ceil((earliest - now) / 1000)} s, after the call's deadline`,
          { ...context, retryAfterMs: Math.max(0, earliest - now) },
        );
      }
      try {
        await this.clock.sleep(Math.max(1, earliest - now), signal);
      } catch (error) {
        if (signal?.aborted) throw abortedError(context, signal.reason);
        throw error;
      }
    }
  }

  /** Earliest time a usable (not excluded, not disabled) key is available for `model`. */
  private earliest(model: string, exclude?: ReadonlySet<string>): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.entries) {
      if (exclude?.has(entry.keyId)) continue;
      const from = availableFrom(entry.state, model);
      if (from < earliest) earliest = from;
    }
    return earliest;
  }

  private noKeys(model: string, exclude?: ReadonlySet<string>): LLMError {
    const context = { provider: this.provider, model };
    if (this.entries.length === 0) {
      return new LLMError('NO_AVAILABLE_KEYS', `${this.provider} has no API keys configured`, context);
    }
    const usable = this.entries.filter((entry) => !exclude?.has(entry.keyId));
    if (usable.length === 0) {
      return new LLMError(
        'NO_AVAILABLE_KEYS',
        `No other key of ${this.provider} is left to try for this call`,
        context,
      );
    }
    return new LLMError(
      'NO_AVAILABLE_KEYS',
      `Every key of ${this.provider} is disabled (rejected as invalid); replace them or reset with llm.keys.reset`,
      context,
    );
  }

  report(key: string, model: string, outcome: KeyOutcome): void {
    const entry = this.byKey.get(key);
    if (entry == null) return;
    const now = this.clock.now();
    const base = entry.state;
    const next = nextKeyState(base, outcome, now, model);
    // Identity means "no effect" (content, input, parse errors): nothing to change or persist.
    if (next === base) return;
    this.write(entry, (current) =>
      current == null || current === base ? next : nextKeyState(current, outcome, now, model),
    );
  }

  private write(entry: KeyEntry, fn: (current: KeyState | undefined) => KeyState): void {
    const result = this.store.update(this.provider, entry.hash, fn);
    if (!(result instanceof Promise)) {
      entry.state = result;
      return;
    }
    // A watched store has already pushed its new view; otherwise act on the local view now and adopt the
    // store's merged state when it answers.
    if (!this.watching) entry.state = fn(entry.state);
    const saving: Promise<unknown> = result.then(
      (state) => {
        if (!this.watching) entry.state = state;
        this.saveFailing = false;
      },
      (error: unknown) => {
        // Once per failure streak, not per call.
        if (this.saveFailing) return;
        this.saveFailing = true;
        this.logger?.warn(
          {
            provider: this.provider,
            keyId: entry.keyId,
            error: errorText(error),
          },
          'switchboard: could not save key state',
        );
      },
    );
    this.saving.add(saving);
    saving.finally(() => this.saving.delete(saving));
  }

  stats(): KeyStats[] {
    const now = this.clock.now();
    return this.entries.map((entry) => keyStatsOf(entry.keyId, entry.state, now));
  }

  reset(keyId?: string): number {
    const targets =
      keyId != null ? [this.entries[resolveKeyId(this.provider, keyId, this.entries)]!] : this.entries;
    for (const entry of targets) this.write(entry, (current) => resetKeyState(current ?? entry.state));
    return targets.length;
  }
}

/** The key pool of one provider. Registers its keys for redaction. */
export function createKeyPool(options: KeyPoolOptions): KeyPool {
  return new Pool(options);
}
