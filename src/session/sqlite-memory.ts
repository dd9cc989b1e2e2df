import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { LLMError } from '../errors/llm-error.js';
import type { LLMMessage, MemoryStore } from '../spec/index.js';
import {
  checkSessionId,
  checkStoredMessages,
  defaultImport,
  type ImportModule,
  loadOptional,
  parseStored,
  storeError,
} from './memory-errors.js';

/** Options of `createSqliteMemory`. */
export interface SqliteMemoryOptions {
  /** Table holding the messages (letters, digits and `_`). @default 'switchboard_messages' */
  table?: string;
  /** How long a write waits for another process's lock before failing. @default 5000 */
  busyTimeoutMs?: number;
}

/** A memory store that can also be closed. */
export interface ClosableMemoryStore extends MemoryStore {
  /** Releases the connection; idempotent. Later calls fail with `CONFIGURATION_ERROR`. */
  close(): Promise<void>;
}

// The small part of better-sqlite3 this store uses (its types are an optional dev dependency).
interface Statement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}
interface Database {
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  transaction<A extends unknown[]>(fn: (...args: A) => void): { immediate(...args: A): void };
  close(): unknown;
}
type DatabaseClass = new (path: string) => Database;

interface Statements {
  load: Statement;
  last: Statement;
  insert: Statement;
  clear: Statement;
  append: (sessionId: string, messages: LLMMessage[]) => void;
  replace: (sessionId: string, messages: LLMMessage[]) => void;
}

/**
 * Session memory in an SQLite file. Needs the optional peer dependency better-sqlite3 (`npm install
 * better-sqlite3`; loaded on first use). One table `(session_id, seq, message, created_at)` with a unique
 * index on `(session_id, seq)`, WAL journal mode.
 * `message` is the message as JSON, so everything round-trips exactly (content parts, tool calls, thought
 * signatures, `model`); `created_at` is when the row was written (Unix ms). History survives restarts and
 * can be read by other processes; writes are transactions (`BEGIN IMMEDIATE`), so one `append` (one turn) is
 * stored whole or not at all. The file's directory is created when missing (0700); a new database file and
 * its `-wal`/`-shm` files are owner-only (0600) whatever the umask. `':memory:'` works too.
 *
 * @throws (on first use) LLMError `CONFIGURATION_ERROR` when better-sqlite3 is not installed or the file
 *   cannot be opened.
 * @example const memory = createSqliteMemory('./data/chat.db'); const ai = llm.session({ sessionId: 'user-42', memory });
 */
export function createSqliteMemory(
  path: string,
  options: SqliteMemoryOptions = {},
  deps: { importModule?: ImportModule } = {},
): ClosableMemoryStore {
  if (typeof path !== 'string' || path === '') {
    throw new LLMError('INVALID_PARAMETER', 'createSqliteMemory: path must be a non-empty string', {
      details: { path: 'path' },
    });
  }
  const table = options.table ?? 'switchboard_messages';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) {
    throw new LLMError(
      'INVALID_PARAMETER',
      `createSqliteMemory: table must be letters, digits and _ (got ${table})`,
      {
        details: { path: 'table' },
      },
    );
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const importModule = deps.importModule ?? defaultImport;
  let db: Database | undefined;
  let statements: Promise<Statements> | undefined;
  let closed = false;

  const open = async (): Promise<Statements> => {
    const module = (await loadOptional(importModule, 'better-sqlite3', 'createSqliteMemory')) as {
      default?: DatabaseClass;
    };
    const Sqlite = module.default ?? (module as unknown as DatabaseClass);
    try {
      const onDisk = path !== ':memory:' && !path.startsWith('file:');
      const created = onDisk && createPrivateFile(path);
      db = new Sqlite(path);
      db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (session_id TEXT NOT NULL, seq INTEGER NOT NULL, message TEXT NOT NULL, created_at INTEGER NOT NULL);
         CREATE UNIQUE INDEX IF NOT EXISTS ${table}_session_seq ON ${table} (session_id, seq);`,
      );
      // SQLite gives -wal/-shm the database's mode; set it again in case another process made them first.
      if (created) for (const suffix of ['-wal', '-shm']) chmodIfPresent(`${path}${suffix}`);
      return prepare(db, table);
    } catch (error) {
      db?.close();
      db = undefined;
      throw storeError('sqlite', `opening ${path}`, error, 'CONFIGURATION_ERROR');
    }
  };

  const use = async <T>(operation: string, run: (s: Statements) => T): Promise<T> => {
    if (closed)
      throw new LLMError('CONFIGURATION_ERROR', `sqlite memory (${path}) is closed`, { details: { path } });
    statements ??= open().catch((error: unknown) => {
      statements = undefined;
      throw error;
    });
    const ready = await statements;
    try {
      return run(ready);
    } catch (error) {
      throw storeError('sqlite', `${operation} (${path})`, error, 'GENERATION_FAILED');
    }
  };

  return {
    async load(sessionId) {
      checkSessionId(sessionId);
      return use('load', (s) =>
        (s.load.all(sessionId) as { seq: number; message: string }[]).map((row) =>
          parseStored(row.message, 'sqlite', `row ${row.seq} of session ${sessionId}`),
        ),
      );
    },
    async append(sessionId, messages) {
      checkSessionId(sessionId);
      checkStoredMessages(messages, 'append');
      if (messages.length === 0) return;
      await use('append', (s) => s.append(sessionId, messages));
    },
    async replace(sessionId, messages) {
      checkSessionId(sessionId);
      checkStoredMessages(messages, 'replace');
      await use('replace', (s) => s.replace(sessionId, messages));
    },
    async clear(sessionId) {
      checkSessionId(sessionId);
      await use('clear', (s) => s.clear.run(sessionId));
    },
    async close() {
      if (closed) return;
      closed = true;
      await statements?.catch(() => undefined);
      db?.close();
      db = undefined;
    },
  };
}

/**
 * Creates the database file owner-only (0600, whatever the umask) before SQLite opens it, so chat history
 * is never readable by other users; new directories are 0700. An existing file keeps its mode.
 * @returns whether the file was created.
 */
function createPrivateFile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
  return true;
}

function chmodIfPresent(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
}

function prepare(db: Database, table: string): Statements {
  const load = db.prepare(`SELECT seq, message FROM ${table} WHERE session_id = ? ORDER BY seq`);
  const last = db.prepare(`SELECT COALESCE(MAX(seq), 0) AS last FROM ${table} WHERE session_id = ?`);
  const insert = db.prepare(
    `INSERT INTO ${table} (session_id, seq, message, created_at) VALUES (?, ?, ?, ?)`,
  );
  const clear = db.prepare(`DELETE FROM ${table} WHERE session_id = ?`);
  const insertAll = (sessionId: string, from: number, messages: LLMMessage[]) => {
    const now = Date.now();
    messages.forEach((message, index) => {
      insert.run(sessionId, from + index, JSON.stringify(message), now);
    });
  };
  // IMMEDIATE: take the write lock before reading MAX(seq), so two processes never pick the same seq.
  const append = db.transaction((sessionId: string, messages: LLMMessage[]) => {
    const { last: seq } = last.get(sessionId) as { last: number };
    insertAll(sessionId, seq + 1, messages);
  });
  const replace = db.transaction((sessionId: string, messages: LLMMessage[]) => {
    clear.run(sessionId);
    insertAll(sessionId, 1, messages);
  });
  return {
    load,
    last,
    insert,
    clear,
    append: (sessionId, messages) => append.immediate(sessionId, messages),
    replace: (sessionId, messages) => replace.immediate(sessionId, messages),
  };
}
