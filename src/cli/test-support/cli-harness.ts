import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built CLI: `npm test` builds before running vitest. `SWITCHBOARD_CLI_PATH` points the tests at another
 * build (e.g. `tsc -p tsconfig.build.json --outDir /tmp/sb/dist` while dist/ is being rebuilt).
 */
export const CLI_PATH =
  process.env.SWITCHBOARD_CLI_PATH ?? fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** What a CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to each stdout chunk, and to exit. */
  stdoutTimes: number[];
  exitMs: number;
}

/** Options of `runCli`. */
export interface RunOptions {
  cwd: string;
  /** Extra environment (merged over a clean copy: no colour, no SWITCHBOARD_CONFIG from the outside). */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed (stdin is always a pipe, never a TTY). */
  input?: string;
  timeoutMs?: number;
  /** Called with everything printed on stdout so far, each time more arrives (to react while it runs). */
  onStdout?: (soFar: string) => void;
}

// Every key any test configures: no run may ever print one (checked after every run).
const secrets = new Set<string>();

/** Registers keys that must never appear in any CLI output. */
export function forbidInOutput(keys: Iterable<string>): void {
  for (const key of keys) secrets.add(key);
}

/** The configured keys found in `text` (should be none). */
export function leakedSecrets(text: string): string[] {
  return [...secrets].filter((secret) => text.includes(secret));
}

/** Runs `node dist/cli/main.js ...args`; fails the test if the output contains a configured key. */
export function runCli(args: readonly string[], options: RunOptions): Promise<CliRun> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    FORCE_COLOR: undefined,
    NO_COLOR: undefined,
    SWITCHBOARD_CONFIG: undefined,
  };
  Object.assign(env, options.env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdoutTimes: number[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      stdoutTimes.push(Date.now() - started);
      options.onStdout?.(Buffer.concat(out).toString('utf8'));
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchboard ${args.join(' ')} did not finish in ${options.timeoutMs ?? 30_000} ms`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const run: CliRun = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutTimes,
        exitMs: Date.now() - started,
      };
      const leaked = leakedSecrets(run.stdout + run.stderr);
      if (leaked.length > 0)
        reject(new Error(`switchboard ${args.join(' ')} printed a configured key: ${leaked.join(', ')}`));
      else resolve(run);
    });
    child.stdin.on('error', () => undefined); // the CLI may exit without reading stdin
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary directory holding `switchboard.yaml`. */
export interface Workspace {
  dir: string;
  configFile: string;
  run(args: readonly string[], options?: Omit<RunOptions, 'cwd'>): Promise<CliRun>;
  cleanup(): Promise<void>;
}

/**
 * Creates a temp dir with `switchboard.yaml` holding `config` (written as JSON, which is YAML) — or the raw
 * `text` — and registers every `apiKeys` entry as forbidden output.
 */
export async function createWorkspace(config: object | string): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-cli-'));
  const configFile = join(dir, 'switchboard.yaml');
  if (typeof config !== 'string') {
    const providers = (config as { providers?: { apiKeys?: string | string[] }[] }).providers ?? [];
    forbidInOutput(providers.flatMap((provider) => provider.apiKeys ?? []));
  }
  await writeFile(configFile, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return {
    dir,
    configFile,
    run: (args, options = {}) => runCli(args, { ...options, cwd: dir }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Fast retries for tests. */
export const FAST_RETRY = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 };
