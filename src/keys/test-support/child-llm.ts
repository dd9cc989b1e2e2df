import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LLMConfig } from '../../spec/index.js';

const DIST = new URL('../../../dist/index.js', import.meta.url);
const DIST_MANIFEST = new URL('../../../dist/build-manifest.json', import.meta.url);
const SCRIPT = fileURLToPath(new URL('./redis-child.mjs', import.meta.url));

/** Why the built library cannot be used (undefined when it can). `npm test` builds before running vitest. */
export function distProblem(): string | undefined {
  if (!existsSync(DIST)) return `${fileURLToPath(DIST)} is missing: run \`npm run build\` first`;
  const built = existsSync(DIST_MANIFEST)
    ? Object.values(JSON.parse(readFileSync(DIST_MANIFEST, 'utf8')) as Record<string, string[]>).flat()
    : [];
  if (!built.includes('src/keys/redis-key-store.ts'))
    return `${fileURLToPath(DIST)} has no Redis key store: dist/ is stale, run \`npm run build\``;
  return undefined;
}

/** A client of the built library in another Node process (async child_process: this process keeps serving). */
export class ChildLLM {
  private readonly child: ChildProcess;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private stderr = '';
  private readonly exited: Promise<void>;

  /** `config` must be JSON (no logger, no middlewares): the child adds a logger that records warnings. */
  constructor(config: LLMConfig) {
    this.child = spawn(process.execPath, [SCRIPT], {
      env: { ...process.env, SWITCHBOARD_DIST: DIST.href, CHILD_CONFIG: JSON.stringify(config) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as {
        id: number;
        ok: boolean;
        value?: unknown;
        error?: { code?: string; message: string };
      };
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(Object.assign(new Error(message.error?.message), { code: message.error?.code }));
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        for (const waiter of this.pending.values()) {
          waiter.reject(new Error(`child exited (${code}) before answering: ${this.stderr}`));
        }
        this.pending.clear();
        resolve();
      });
    });
  }

  call<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  }

  /** Closes the client (flushing its key state) and waits for the process to end. */
  async close(): Promise<void> {
    if (this.child.exitCode == null && this.child.signalCode == null) {
      await this.call('close').catch(() => undefined);
      this.child.stdin!.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
