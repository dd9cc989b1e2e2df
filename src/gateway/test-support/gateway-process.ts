import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';
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
  /**
   * With `inspect: true`: a full garbage collection in the process (through its inspector), then its RSS and
   * heap in bytes. What is left is what the process holds, not garbage waiting for the next collection.
   */
  /**
   * Memory after a full collection: `rss` of the process, `heapUsed`, and `held` — what JavaScript holds
   * (heap used + array buffers, where a buffered body would sit). RSS alone is noisy: freed pages are not
   * always returned to the system at once.
   */
  collectedMemory(): Promise<{ rss: number; heapUsed: number; held: number }>;
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
  options: {
    dir?: string;
    env?: Record<string, string>;
    args?: string[];
    timeoutMs?: number;
    /** Open the process's inspector on a random loopback port (for `collectedMemory`). */
    inspect?: boolean;
  } = {},
): Promise<GatewayProcess> {
  requireBuiltCli();
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'switchboard-gateway-')));
  await writeFile(join(dir, 'switchboard.yaml'), JSON.stringify(config, null, 2));
  const nodeArgs = options.inspect === true ? ['--inspect=127.0.0.1:0'] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, CLI_PATH, 'serve', '--port', '0', ...(options.args ?? [])],
    {
      cwd: dir,
      env: { ...process.env, SWITCHBOARD_CONFIG: '', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
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
  const rss = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  };
  let inspector: Promise<Inspector> | undefined;
  const collectedMemory = async () => {
    const wsUrl = /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1];
    if (wsUrl == null) throw new Error('start the gateway with inspect: true');
    inspector ??= openInspector(wsUrl);
    const session = await inspector;
    await session.call('HeapProfiler.collectGarbage');
    const answer = (await session.call('Runtime.evaluate', {
      expression: '(({ heapUsed, arrayBuffers }) => [heapUsed, arrayBuffers])(process.memoryUsage())',
      returnByValue: true,
    })) as { result?: { value?: [number, number] } };
    const [heapUsed = 0, arrayBuffers = 0] = answer.result?.value ?? [];
    return { rss: rss(), heapUsed, held: heapUsed + arrayBuffers };
  };
  void exited.then(async () => (await inspector)?.close());
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
    rss,
    collectedMemory,
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

interface Inspector {
  call(method: string, params?: object): Promise<unknown>;
  close(): void;
}

/** A DevTools-protocol session with a process's inspector. */
async function openInspector(url: string): Promise<Inspector> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), {
      once: true,
    });
  });
  const waiting = new Map<number, (result: unknown) => void>();
  let nextId = 0;
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id != null) waiting.get(message.id)?.(message.result);
  });
  return {
    call: (method, params = {}) =>
      new Promise((resolve) => {
        const id = ++nextId;
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}
