import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeOrphanTemps } from './atomic-file.js';
import { FileKeyStore, type FileKeyStoreOptions } from './file-key-store.js';
import { createKeyPool } from './key-pool.js';
import { ManualClock } from './test-support/manual-clock.js';

const KEY = 'test-key-temp-0001';
const M = 'test-model';
const VICTIM = 'precious contents\n';
const stores: FileKeyStore[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

function setup(): { dir: string; path: string; victim: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'switchboard-temp-')), 'state');
  mkdirSync(dir);
  const victim = join(dir, '..', 'victim.txt');
  writeFileSync(victim, VICTIM);
  return { dir, path: join(dir, 'keys.json'), victim };
}

function store(path: string, options: Partial<FileKeyStoreOptions> = {}): FileKeyStore {
  const created = new FileKeyStore({ path, flushIntervalMs: 0, ...options });
  stores.push(created);
  return created;
}

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('file key store: temp files', () => {
  it('a symlink planted at a predictable temp name does not redirect the write', async () => {
    const { dir, path, victim } = setup();
    // The name every earlier version wrote (<path>.<pid>.tmp), and the name the first attempt will try.
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    const suffixes = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'];
    symlinkSync(victim, `${path}.${process.pid}.${suffixes[0]}.tmp`);
    let call = 0;
    const s = store(path, { tempSuffix: () => suffixes[call++ % suffixes.length]! });
    const pool = createKeyPool({ provider: 'P', keys: [KEY], clock: new ManualClock(), store: s });
    pool.report(KEY, M, { kind: 'failure', code: 'API_KEY_INVALID' });
    await s.flush();
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM);
    expect(s.writeCount).toBe(1);
    // The taken name was skipped, the next one used and renamed over the state file.
    expect(call).toBe(2);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).providers.P).toBeDefined();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The planted links are still links (never opened), and no temp file of ours is left.
    expect(readdirSync(dir).sort()).toEqual(
      ['keys.json', `keys.json.${process.pid}.${suffixes[0]}.tmp`, `keys.json.${process.pid}.tmp`].sort(),
    );
  });

  it('temp names are unpredictable: two writes never use the same name', async () => {
    const { dir, path } = setup();
    const seen: string[] = [];
    const s = store(path, {
      tempSuffix: () => {
        const name = Math.random().toString(16).slice(2, 18).padEnd(16, '0');
        seen.push(name);
        return name;
      },
    });
    const pool = createKeyPool({ provider: 'P', keys: [KEY], clock: new ManualClock(), store: s });
    for (let i = 0; i < 3; i++) {
      pool.report(KEY, M, { kind: 'success', latencyMs: i });
      await s.flush();
    }
    expect(new Set(seen).size).toBe(3);
    expect(readdirSync(dir)).toEqual(['keys.json']);
    // The default: 16 random hex digits after the pid.
    const plain = store(join(dir, 'other.json'));
    createKeyPool({ provider: 'P', keys: [KEY], clock: new ManualClock(), store: plain }).report(KEY, M, {
      kind: 'success',
      latencyMs: 1,
    });
    await plain.flush();
    expect(statSync(join(dir, 'other.json')).mode & 0o777).toBe(0o600);
  });

  it('at start, removes the temp files of dead writers and keeps those of live ones', () => {
    const { dir, path } = setup();
    const dead = deadPid();
    const orphans = [`keys.json.${dead}.0123456789abcdef.tmp`, `keys.json.${dead}.tmp`];
    const live = [
      `keys.json.${process.pid}.fedcba9876543210.tmp`,
      `keys.json.${process.ppid}.00ff00ff00ff00ff.tmp`,
    ];
    const unrelated = ['keys.json.notes.tmp', 'other.json.1.tmp', 'keys.json.corrupt-2024'];
    for (const name of [...orphans, ...live, ...unrelated]) writeFileSync(join(dir, name), '{}');
    // A live pid's file an hour old is an orphan too (the pid was reused).
    const stale = `keys.json.${process.ppid}.1111111111111111.tmp`;
    writeFileSync(join(dir, stale), '{}');
    const anHourAgo = (Date.now() - 3_601_000) / 1000;
    utimesSync(join(dir, stale), anHourAgo, anHourAgo);
    const infos: string[] = [];
    store(path, { logger: { warn: () => undefined, info: (obj) => infos.push(JSON.stringify(obj)) } });
    for (const name of [...orphans, stale]) expect(existsSync(join(dir, name))).toBe(false);
    for (const name of [...live, ...unrelated]) expect(existsSync(join(dir, name))).toBe(true);
    expect(infos).toEqual([JSON.stringify({ path, removed: 3 })]);
  });

  it('removes a planted link of a dead pid as a link, never touching its target', () => {
    const { dir, path, victim } = setup();
    symlinkSync(victim, join(dir, `keys.json.${deadPid()}.tmp`));
    expect(removeOrphanTemps(path)).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM);
    expect(readdirSync(dir)).toEqual([]);
  });
});
