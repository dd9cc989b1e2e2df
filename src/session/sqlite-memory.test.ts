import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMMessage } from '../spec/index.js';
import { createSqliteMemory } from './sqlite-memory.js';

const REPO_PACKAGE = fileURLToPath(new URL('../../package.json', import.meta.url));

/** A turn with everything a message can carry. */
const rich: LLMMessage[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Describe this, then look it up 🌍' },
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=', name: 'a.png' },
      { type: 'file', url: 'gs://bucket/doc.pdf', mimeType: 'application/pdf' },
    ],
  },
  {
    role: 'assistant',
    content: [
      { type: 'thought', text: 'thinking…', thoughtSignature: 'sig-thought' },
      { type: 'text', text: '', thoughtSignature: 'sig-text' },
    ],
    toolCalls: [
      {
        id: 'call_1',
        name: 'lookup',
        arguments: { q: 'x', n: 1.5, nested: { list: [1, null, true] } },
        rawArguments: '{"q":"x","n":1.5,"nested":{"list":[1,null,true]}}',
        thoughtSignature: 'sig-call',
      },
    ],
    model: 'Gemini/gemini-2.5-flash',
  },
  { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: '{"ok":true}' },
  {
    role: 'assistant',
    content: [
      { type: 'executable_code', language: 'PYTHON', code: 'print(1)' },
      { type: 'code_execution_result', outcome: 'OUTCOME_OK', output: '1\n' },
      { type: 'text', text: 'Done.' },
    ],
    model: 'Gemini/gemini-2.5-flash',
  },
];

describe('createSqliteMemory', () => {
  let dir: string;
  const stores: { close(): Promise<void> }[] = [];
  const open = (path: string, options?: Parameters<typeof createSqliteMemory>[1]) => {
    const store = createSqliteMemory(path, options);
    stores.push(store);
    return store;
  };
  const fresh = () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-sqlite-'));
    return join(dir, 'nested', 'dir', 'chat.db');
  };

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips messages exactly (parts, tool calls, thought signatures, model)', async () => {
    const store = open(fresh());
    await store.append('s1', rich.slice(0, 2));
    await store.append('s1', rich.slice(2));
    expect(await store.load('s1')).toEqual(rich);
    expect(await store.load('other')).toEqual([]);
  });

  it('survives a new store on the same file', async () => {
    const path = fresh();
    const first = open(path);
    await first.append('s1', rich);
    await first.close();
    const second = open(path);
    expect(await second.load('s1')).toEqual(rich);
    await second.append('s1', [{ role: 'user', content: 'again' }]);
    expect(await second.load('s1')).toHaveLength(rich.length + 1);
  });

  it('is readable by another process: one table (session_id, seq, message, created_at), WAL mode', async () => {
    const path = fresh();
    const store = open(path);
    const before = Date.now();
    await store.append('s1', rich);
    await store.append('s2', [{ role: 'user', content: 'x' }]);
    const child = `
      import { createRequire } from 'node:module';
      const require = createRequire(process.env.REPO_PACKAGE);
      const Database = require('better-sqlite3');
      const db = new Database(process.env.DB_PATH, { readonly: true });
      const mode = db.pragma('journal_mode', { simple: true });
      const columns = db.prepare("SELECT name FROM pragma_table_info('switchboard_messages')").all().map((c) => c.name);
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'switchboard_messages'").all().map((i) => i.name);
      const rows = db.prepare("SELECT session_id, seq, message, created_at FROM switchboard_messages WHERE session_id = 's1' ORDER BY seq").all();
      console.log(JSON.stringify({ mode, columns, indexes, rows }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', child], {
      env: { ...process.env, REPO_PACKAGE, DB_PATH: path },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as {
      mode: string;
      columns: string[];
      indexes: string[];
      rows: { session_id: string; seq: number; message: string; created_at: number }[];
    };
    expect(out.mode).toBe('wal');
    expect(out.columns).toEqual(['session_id', 'seq', 'message', 'created_at']);
    expect(out.indexes).toEqual(['switchboard_messages_session_seq']);
    expect(out.rows.map((row) => row.seq)).toEqual([1, 2, 3, 4]);
    expect(out.rows.map((row) => JSON.parse(row.message))).toEqual(rich);
    expect(out.rows.every((row) => row.session_id === 's1' && row.created_at >= before)).toBe(true);
  });

  it('reads rows another process wrote', async () => {
    const path = fresh();
    const store = open(path);
    await store.append('s1', [{ role: 'user', content: 'from parent' }]);
    const child = `
      import { createRequire } from 'node:module';
      const require = createRequire(process.env.REPO_PACKAGE);
      const db = new (require('better-sqlite3'))(process.env.DB_PATH);
      db.prepare("INSERT INTO switchboard_messages (session_id, seq, message, created_at) VALUES ('s1', 2, ?, ?)")
        .run(JSON.stringify({ role: 'assistant', content: 'from child', model: 'OpenAI/gpt-4o-mini' }), Date.now());
      db.close();
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', child], {
      env: { ...process.env, REPO_PACKAGE, DB_PATH: path },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(await store.load('s1')).toEqual([
      { role: 'user', content: 'from parent' },
      { role: 'assistant', content: 'from child', model: 'OpenAI/gpt-4o-mini' },
    ]);
  });

  it('replaces and clears one session only', async () => {
    const store = open(fresh(), { table: 'chat_history' });
    await store.append('s1', rich);
    await store.append('s2', [{ role: 'user', content: 'keep me' }]);
    await store.replace('s1', rich.slice(2));
    expect(await store.load('s1')).toEqual(rich.slice(2));
    await store.append('s1', [{ role: 'user', content: 'next' }]);
    expect((await store.load('s1')).at(-1)).toEqual({ role: 'user', content: 'next' });
    await store.clear('s1');
    expect(await store.load('s1')).toEqual([]);
    expect(await store.load('s2')).toEqual([{ role: 'user', content: 'keep me' }]);
  });

  it('two stores on one file append without losing or reordering turns', async () => {
    const path = fresh();
    const a = open(path);
    const b = open(path);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).append('s', [
          { role: 'user', content: `q${i}` },
          { role: 'assistant', content: `a${i}` },
        ]),
      ),
    );
    const loaded = await a.load('s');
    expect(loaded).toHaveLength(40);
    // Each append (a turn) stays together.
    for (let i = 0; i < 40; i += 2) {
      expect(String(loaded[i + 1]!.content)).toBe(String(loaded[i]!.content).replace('q', 'a'));
    }
  });

  it('fails on use after close', async () => {
    const store = open(fresh());
    await store.append('s', [{ role: 'user', content: 'x' }]);
    await store.close();
    await store.close();
    await expect(store.load('s')).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR', message: /closed/ });
  });

  it('says what to install when better-sqlite3 is missing', async () => {
    const store = createSqliteMemory(
      join(tmpdir(), 'never.db'),
      {},
      {
        importModule: async () => {
          throw Object.assign(new Error("Cannot find package 'better-sqlite3'"), {
            code: 'ERR_MODULE_NOT_FOUND',
          });
        },
      },
    );
    await expect(store.load('s')).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringContaining('npm install better-sqlite3'),
    });
  });

  it('rejects a bad table name and a corrupt row', async () => {
    expect(() => createSqliteMemory('x.db', { table: 'x; DROP TABLE y' })).toThrow(/table must be/);
    const path = fresh();
    const store = open(path);
    await store.append('s', [{ role: 'user', content: 'x' }]);
    const child = `
      import { createRequire } from 'node:module';
      const require = createRequire(process.env.REPO_PACKAGE);
      const db = new (require('better-sqlite3'))(process.env.DB_PATH);
      db.prepare("UPDATE switchboard_messages SET message = '{oops' WHERE session_id = 's'").run();
      db.close();
    `;
    spawnSync(process.execPath, ['--input-type=module', '-e', child], {
      env: { ...process.env, REPO_PACKAGE, DB_PATH: path },
    });
    await expect(store.load('s')).rejects.toMatchObject({
      code: 'GENERATION_FAILED',
      message: /row 1 of session s/,
    });
  });

  it('creates the database and its -wal/-shm files owner-only (0600) whatever the umask', async () => {
    for (const mask of [0o022, 0o000]) {
      const previous = process.umask(mask);
      try {
        const path = fresh();
        const store = open(path);
        await store.append('s', [{ role: 'user', content: 'private' }]);
        for (const file of [path, `${path}-wal`, `${path}-shm`]) {
          expect({ file: file.slice(path.length), mode: (statSync(file).mode & 0o777).toString(8) }).toEqual({
            file: file.slice(path.length),
            mode: '600',
          });
        }
        expect((statSync(dirname(path)).mode & 0o777).toString(8)).toBe('700');
        await store.close();
      } finally {
        process.umask(previous);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
