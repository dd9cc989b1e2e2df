import { randomUUID } from 'node:crypto';
import { LLMError } from '../errors/llm-error.js';
import { isRecord, safeParseJson } from '../util/safe-json.js';
import { errorText } from './error-text.js';
import type { KeyState } from './key-health.js';
import type { KeyStateListener, KeyStateStore, KeyStoreLogger, SharedCursor } from './key-store.js';
import type { ImportModule } from './redis-client.js';
import { decodeRecord, isKeyHash, updateArguments } from './redis-codec.js';
import { RedisLink } from './redis-connection.js';
import { mergeKeyStates } from './redis-merge.js';
import { cursorKey, eventsChannel, LOAD_LUA, providerBase, UPDATE_LUA } from './redis-scripts.js';
import {
  RedisSpendLedger,
  SPEND_ADD,
  SPEND_ADD_LUA,
  SPEND_READ,
  SPEND_READ_LUA,
} from './redis-spend-ledger.js';

export interface RedisKeyStoreOptions {
  /** `redis://[user:password@]host[:port][/db]` or `rediss://…`. */
  url: string;
  /** Prefix of every Redis key and of the pub/sub channel. @default 'switchboard:' */
  prefix?: string;
  /** Warned once per outage (and told, when it has `info`, when Redis is back). */
  logger?: KeyStoreLogger;
  /** Clock of the cooldown times (the pools' clock), for the expiry of cooldown keys. @default Date.now */
  now?: () => number;
  /**
   * How long the first connection may take before the calls go on with local state (one warning;
   * reconnection continues). A refused connection does not wait for it. @default 2000
   */
  connectTimeoutMs?: number;
  /** Bound on each Redis command. @default 1000 */
  commandTimeoutMs?: number;
  /** Full reload of the state of the providers in use (a safety net for missed messages). @default 5000 */
  refreshIntervalMs?: number;
  /** Longest pause between reconnection attempts while Redis is down. @default 2000 */
  maxReconnectDelayMs?: number;
  /** Loads `ioredis` (tests replace it). */
  importModule?: ImportModule;
}

type Update = (current: KeyState | undefined) => KeyState;

interface Pending {
  fn: Update;
  resolve: (state: KeyState) => void;
}

/** What this process knows of one key. */
interface Slot {
  readonly provider: string;
  readonly hash: string;
  /** The record as Redis last reported it, and its version (-1 unknown, 0 no record). */
  confirmed: KeyState | undefined;
  version: number;
  /** Changes made while Redis was out of reach: `local` grew from `base` (the `confirmed` of that time). */
  offline: { base: KeyState | undefined; local: KeyState } | undefined;
  /** Updates not yet saved, in order (the batch being saved first). */
  pending: Pending[];
  /** `confirmed` (merged with `offline`) with `pending` applied: what the pools select with. */
  view: KeyState | undefined;
  draining: Promise<void> | undefined;
}

const UPDATE = 'switchboardKeyUpdate';
const LOAD = 'switchboardKeyLoad';
/** Compare-and-set rounds of one save before it is kept as a local change (pushed by the next save). */
const MAX_CAS_ROUNDS = 100;
/** After this many conflicts in a row a save waits a random moment (up to 2^n ms, ≤ 50) before the next round. */
const CAS_BACKOFF_AFTER = 3;

/**
 * Key health shared through Redis by every process using the same URL and prefix (layout in
 * `redis-scripts.ts`): disabled keys, cooldowns (string keys with `PX`, so Redis itself expires them),
 * counters and the round-robin cursor. Saves are Lua compare-and-set scripts (one round trip; counters are
 * added, never overwritten) that publish every availability change; every instance applies the published
 * state at once, so selection reads only local memory. The one round trip on the request path is the shared
 * cursor's `INCR`, and only when more than one key is available.
 *
 * Start-up: the URL is checked synchronously (`CONFIGURATION_ERROR`); the connection is made on first use.
 * Rejected credentials (WRONGPASS, NOAUTH) fail the calls with `CONFIGURATION_ERROR` naming the URL
 * (password masked) until Redis accepts them. A Redis that cannot be reached (refused at once, or silent
 * for `connectTimeoutMs`) is an outage like any later one.
 *
 * Outage (at start or later): calls go on with in-process state, one warning per outage, nothing
 * queued in ioredis (no offline queue), reconnection with capped backoff. When Redis is back the store
 * reloads the shared state and pushes what changed meanwhile (`mergeKeyStates`: counters added, a cooldown or
 * disable seen offline kept, an offline reset replayed unless another process changed the key too); a Redis
 * that came back empty is re-seeded from local state.
 */
export class RedisKeyStore implements KeyStateStore {
  readonly kind = 'redis' as const;
  readonly cursor: SharedCursor;
  /** Spend rows in Redis hashes (`redis-spend-ledger.ts`), shared by every process using the store. */
  readonly spend: RedisSpendLedger;
  private readonly link: RedisLink;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly origin = randomUUID();
  private readonly logger: KeyStoreLogger | undefined;
  private readonly now: () => number;
  private closed = false;
  private closing: Promise<void> | undefined;
  private resyncing: Promise<void> | undefined;
  private resyncAgain = false;
  private readonly slots = new Map<string, Map<string, Slot>>();
  private readonly listeners = new Map<string, Set<KeyStateListener>>();
  private readonly loaded = new Set<string>();

  /** @throws LLMError `CONFIGURATION_ERROR` when `url` is not a Redis URL (named with its password masked). */
  constructor(options: RedisKeyStoreOptions) {
    this.prefix = options.prefix ?? 'switchboard:';
    this.channel = eventsChannel(this.prefix);
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.link = new RedisLink({
      url: options.url,
      channel: this.channel,
      scripts: {
        [UPDATE]: UPDATE_LUA,
        [LOAD]: LOAD_LUA,
        [SPEND_ADD]: SPEND_ADD_LUA,
        [SPEND_READ]: SPEND_READ_LUA,
      },
      logger: options.logger,
      connectTimeoutMs: options.connectTimeoutMs ?? 2000,
      commandTimeoutMs: options.commandTimeoutMs ?? 1000,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 2000,
      refreshIntervalMs: options.refreshIntervalMs ?? 5000,
      importModule: options.importModule,
      onResync: () => void this.resync(),
      onMessage: (message) => this.onMessage(message),
    });
    const link = this.link;
    this.spend = new RedisSpendLedger(link, this.prefix);
    this.cursor = {
      get available() {
        return link.healthy && link.canSend();
      },
      next: (provider, model) => this.nextTicket(provider, model),
    };
  }

  async load(provider: string): Promise<ReadonlyMap<string, KeyState>> {
    if (!this.closed) {
      await this.link.start();
      if (this.link.canSend()) {
        try {
          await this.fetch(provider);
        } catch (error) {
          this.link.markUnhealthy(error);
        }
      }
    }
    const out = new Map<string, KeyState>();
    for (const [hash, slot] of this.slots.get(provider) ?? []) {
      if (slot.view != null) out.set(hash, slot.view);
    }
    return out;
  }

  update(provider: string, keyHash: string, fn: Update): Promise<KeyState> {
    if (!isKeyHash(keyHash)) {
      return Promise.reject(
        new LLMError('INVALID_PARAMETER', 'redis key store: a key is identified by its SHA-256 (hex)'),
      );
    }
    const slot = this.slot(provider, keyHash);
    if (this.closed) {
      slot.view = fn(slot.view);
      this.emit(slot, slot.view);
      return Promise.resolve(slot.view);
    }
    this.link.start().catch(() => undefined);
    return new Promise((resolve) => {
      slot.pending.push({ fn, resolve });
      const view = fn(slot.view);
      slot.view = view;
      this.emit(slot, view);
      slot.draining ??= this.drain(slot);
    });
  }

  watch(provider: string, listener: KeyStateListener): () => void {
    let set = this.listeners.get(provider);
    if (set == null) {
      set = new Set();
      this.listeners.set(provider, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  async flush(): Promise<void> {
    for (;;) {
      const running: Promise<void>[] = [];
      for (const slots of this.slots.values()) {
        for (const slot of slots.values()) if (slot.draining != null) running.push(slot.draining);
      }
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.link.beginClose();
      await this.flush();
      await this.spend.retry();
      await this.link.close();
    })();
    return this.closing;
  }

  private async nextTicket(provider: string, model: string): Promise<number | undefined> {
    if (!this.link.healthy || !this.link.canSend()) return undefined;
    try {
      return await this.link.incr(cursorKey(this.prefix, provider, model));
    } catch (error) {
      this.link.markUnhealthy(error);
      return undefined;
    }
  }

  // ---- state ------------------------------------------------------------------------------------------------

  private slot(provider: string, hash: string): Slot {
    let slots = this.slots.get(provider);
    if (slots == null) {
      slots = new Map();
      this.slots.set(provider, slots);
    }
    let slot = slots.get(hash);
    if (slot == null) {
      slot = {
        provider,
        hash,
        confirmed: undefined,
        // After a load, a key without a record has none (a conflict corrects the rare exception).
        version: this.loaded.has(provider) ? 0 : -1,
        offline: undefined,
        pending: [],
        view: undefined,
        draining: undefined,
      };
      slots.set(hash, slot);
    }
    return slot;
  }

  private emit(slot: Slot, state: KeyState): void {
    const listeners = this.listeners.get(slot.provider);
    if (listeners != null) for (const listener of listeners) listener(slot.hash, state);
  }

  /** What Redis holds, merged with the changes made while it was out of reach. */
  private baseOf(slot: Slot): KeyState | undefined {
    if (slot.offline == null) return slot.confirmed;
    return mergeKeyStates(slot.offline.base, slot.offline.local, slot.confirmed, this.now());
  }

  private applyAll(base: KeyState | undefined, batch: readonly Pending[]): KeyState | undefined {
    let state = base;
    for (const item of batch) state = item.fn(state);
    return state;
  }

  private refreshView(slot: Slot): void {
    const view = this.applyAll(this.baseOf(slot), slot.pending);
    slot.view = view;
    if (view != null) this.emit(slot, view);
  }

  /**
   * Takes a record Redis sent: always from the update script; from a load when not older (replies come in
   * order, so an equal version has the newer counters); from a message only when newer (messages travel on
   * another connection and may arrive after a later reply). Returns whether it was taken.
   */
  private adopt(slot: Slot, raw: unknown, accept: 'always' | 'not-older' | 'newer'): boolean {
    const remote = decodeRecord(raw);
    if (accept === 'not-older' && remote.version < slot.version) return false;
    if (accept === 'newer' && remote.version <= slot.version) return false;
    slot.confirmed = remote.state;
    slot.version = remote.version;
    return true;
  }

  /** Saves the slot's pending updates batch by batch; never rejects (nobody awaits it but `flush`). */
  private async drain(slot: Slot): Promise<void> {
    try {
      do {
        const batch = slot.pending.slice();
        try {
          await this.commit(slot, batch);
        } catch (error) {
          // Not a Redis failure (those are handled in commit): keep the change locally rather than lose it.
          this.keepLocal(slot, batch);
          this.warnSaveFailure(slot, error);
        }
        slot.pending.splice(0, batch.length);
        this.refreshView(slot);
        for (const item of batch) item.resolve(slot.view!);
      } while (slot.pending.length > 0);
    } catch (error) {
      this.warnSaveFailure(slot, error);
      for (const item of slot.pending.splice(0)) item.resolve(slot.view ?? item.fn(undefined));
    } finally {
      slot.draining = undefined;
    }
  }

  private warnSaveFailure(slot: Slot, error: unknown): void {
    this.logger?.warn(
      { provider: slot.provider, error: errorText(error) },
      'switchboard: could not save key state to Redis',
    );
  }

  /** Saves `batch` (and any change kept from an outage) with compare-and-set rounds. */
  private async commit(slot: Slot, batch: readonly Pending[]): Promise<void> {
    if (batch.length === 0 && slot.offline == null) return;
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      if (!this.link.canSend()) break;
      const next = this.applyAll(this.baseOf(slot), batch);
      if (next == null) return;
      const { head, tail } = updateArguments(next, slot.confirmed, this.now());
      let reply: unknown;
      try {
        reply = await this.link.run(UPDATE, [
          providerBase(this.prefix, slot.provider),
          slot.hash,
          String(slot.version),
          ...head,
          this.channel,
          this.origin,
          slot.provider,
          ...tail,
        ]);
      } catch (error) {
        this.link.markUnhealthy(error);
        break;
      }
      const [written, json] = Array.isArray(reply) ? reply : [];
      const parsed = typeof json === 'string' ? safeParseJson(json) : undefined;
      if (parsed == null || !parsed.ok) throw new Error('unexpected reply of the update script');
      // A conflict reply is adopted even when older than a message: Redis may have lost its data.
      this.adopt(slot, parsed.value, 'always');
      if (written === 1) {
        slot.offline = undefined;
        if (!this.link.healthy) this.link.markHealthy();
        return;
      }
      // Another process changed the key meanwhile; under heavy contention spread the retries out.
      if (round >= CAS_BACKOFF_AFTER) {
        const ms = Math.random() * Math.min(2 ** (round - CAS_BACKOFF_AFTER + 1), 50);
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    }
    this.keepLocal(slot, batch);
  }

  /** Records `batch` as a change made without Redis (pushed, merged, by the next save or resync). */
  private keepLocal(slot: Slot, batch: readonly Pending[]): void {
    const local = this.applyAll(this.baseOf(slot), batch);
    if (local != null) slot.offline = { base: slot.confirmed, local };
  }

  /** Reloads one provider's records (one round trip); a record Redis lost is written back. */
  private async fetch(provider: string): Promise<void> {
    const reply = await this.link.run(LOAD, [providerBase(this.prefix, provider)]);
    const parsed = typeof reply === 'string' ? safeParseJson(reply) : undefined;
    if (parsed == null || !parsed.ok || !(Array.isArray(parsed.value) || isRecord(parsed.value))) {
      throw new Error('unexpected reply of the load script');
    }
    // cjson encodes an empty array as {}.
    const records = Array.isArray(parsed.value) ? parsed.value : [];
    const seen = new Set<string>();
    for (const raw of records) {
      if (!isRecord(raw) || !isKeyHash(raw.h)) continue;
      seen.add(raw.h);
      const slot = this.slot(provider, raw.h);
      if (this.adopt(slot, raw, 'not-older')) this.refreshView(slot);
    }
    for (const [hash, slot] of this.slots.get(provider) ?? []) {
      if (seen.has(hash) || slot.draining != null) continue;
      if (slot.confirmed != null) {
        // Redis lost the record (restarted without persistence, flushed): write this process's view back.
        slot.offline ??= { base: slot.confirmed, local: slot.confirmed };
        slot.confirmed = undefined;
      }
      slot.version = 0;
    }
    this.loaded.add(provider);
  }

  private resync(): Promise<void> {
    if (this.resyncing != null) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false;
        if (!this.link.canSend()) return;
        try {
          const providers = new Set([...this.listeners.keys(), ...this.slots.keys()]);
          for (const provider of providers) await this.fetch(provider);
        } catch (error) {
          this.link.markUnhealthy(error);
          return;
        }
        this.link.markHealthy();
        void this.spend.retry();
        for (const slots of this.slots.values()) {
          for (const slot of slots.values()) {
            if (slot.offline != null) slot.draining ??= this.drain(slot);
          }
        }
      } while (this.resyncAgain);
    })().finally(() => {
      this.resyncing = undefined;
    });
    return this.resyncing;
  }

  /** A change published by another process: applied at once (no round trip), if newer than ours. */
  private onMessage(message: string): void {
    const parsed = safeParseJson(message);
    if (!parsed.ok || !isRecord(parsed.value)) return;
    const { o, p, h, s } = parsed.value;
    if (o === this.origin || typeof p !== 'string' || !isKeyHash(h)) return;
    if (!this.listeners.has(p) && this.slots.get(p)?.has(h) !== true) return;
    const slot = this.slot(p, h);
    try {
      if (this.adopt(slot, s, 'newer')) this.refreshView(slot);
    } catch (error) {
      // Called from ioredis's event emitter: never throw there.
      this.warnSaveFailure(slot, error);
    }
  }
}
