import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from '../../cli/test-support/cli-harness.js';

/** A `switchboard serve` child process (the built CLI) and everything it printed. */
export interface GatewayProcess {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `<url>/v1`: the `baseURL` of OpenAI SDKs. */
  baseURL: string;
  pid: number;
  child: ChildProcess;
  dir: string;
  /** Access-log text (stdout) so far. */
  stdout(): string;
  /** Everything else (stderr) so far. */
  stderr(): string;
  /** Parsed access-log lines so far. */
  accessLines(): Record<string, unknown>[];
  /** Resident set size of the process, in bytes (Linux `/proc`). */
  rss(): number;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Fails the test early when dist/ is missing: the child runs the built CLI. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first`);
}

/**
 * Writes `config` (JSON) to `switchboard.yaml` in a fresh temp directory (or `dir`) and starts
 * `switchboard serve --port 0` there; resolves once it prints its address.
 */
export async function startGatewayProcess(
  config: object,
  options: { dir?: string; env?: Record<string, string>; args?: string[]; timeoutMs?: number } = {},
): Promise<GatewayProcess> {
  requireBuiltCli();
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'switchboard-gateway-')));
  await writeFile(join(dir, 'switchboard.yaml'), JSON.stringify(config, null, 2));
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--port', '0', ...(options.args ?? [])], {
    cwd: dir,
    env: { ...process.env, SWITCHBOARD_CONFIG: '', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`switchboard serve did not start in time:\n${err}`)),
      options.timeoutMs ?? 30_000,
    );
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match != null) {
        clearTimeout(timer);
        child.stderr?.off('data', check);
        resolve(match[1] as string);
      }
    };
    child.stderr?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`switchboard serve exited with ${code}:\n${err}`));
    });
  });
  return {
    url,
    baseURL: `${url}/v1`,
    pid: child.pid ?? 0,
    child,
    dir,
    stdout: () => out,
    stderr: () => err,
    accessLines: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode == null && child.signalCode == null) child.kill(signal);
      return exited;
    },
    exited,
  };
}

/** Stops the process (SIGKILL if SIGTERM did not end it) and removes its directory. */
export async function disposeGateway(gateway: GatewayProcess | undefined, keepDir = false): Promise<void> {
  if (gateway == null) return;
  const timer = setTimeout(() => gateway.child.kill('SIGKILL'), 10_000);
  await gateway.stop();
  clearTimeout(timer);
  if (!keepDir) await rm(gateway.dir, { recursive: true, force: true });
}

/** Polls `check` every 10 ms until it holds; throws after `timeoutMs` (a bound for a broken run, not a timing). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
