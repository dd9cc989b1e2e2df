import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Random part of a temp file name (tests replace it to plant files at the names it will try). */
export type TempSuffix = () => string;

const randomSuffix: TempSuffix = () => randomBytes(8).toString('hex');
/** Names tried before a write gives up (each taken name is skipped, never opened). */
const ATTEMPTS = 8;
/** A temp file this old is an orphan even when its pid is alive again (pid reuse). */
const ORPHAN_AGE_MS = 3_600_000;

/**
 * Replaces `path` with `text` atomically and privately: a temp file `<path>.<pid>.<random>.tmp` created
 * exclusively (`wx`: O_CREAT|O_EXCL, which never follows a symlink or opens an existing file — a taken
 * name is skipped) with mode 0600, written, fsynced, then renamed over `path` (rename replaces a link at
 * `path` itself, never its target). The pid in the name lets `removeOrphanTemps` find the files of
 * writers that died between create and rename.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  suffix: TempSuffix = randomSuffix,
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const temp = `${path}.${process.pid}.${suffix()}.tmp`;
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(temp, 'wx', 0o600);
    } catch (error) {
      lastError = error;
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      try {
        // The mode of `open` is narrowed by the umask; the state file is exactly owner read/write.
        await handle.chmod(0o600);
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    return;
  }
  throw lastError;
}

function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, someone else's.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes the temp files of `path` left by writers that died before their rename (`kill -9`):
 * `<path>.<pid>.<hex>.tmp` (and the older `<path>.<pid>.tmp`) whose pid is no longer running, or which
 * are older than an hour (their pid may belong to another process by now). A live writer's file is
 * kept. Links are removed as links (never followed). Returns how many were removed; never throws.
 */
export function removeOrphanTemps(path: string, now: number = Date.now()): number {
  const dir = dirname(path);
  const pattern = new RegExp(`^${escapeRegExp(basename(path))}\\.(\\d+)(?:\\.[0-9a-f]+)?\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = pattern.exec(name);
    if (match == null) continue;
    const file = join(dir, name);
    try {
      const stat = lstatSync(file);
      if (stat.isDirectory()) continue;
      const pid = Number(match[1]);
      if (!isDead(pid) && now - stat.mtimeMs < ORPHAN_AGE_MS) continue;
      unlinkSync(file);
      removed++;
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}
