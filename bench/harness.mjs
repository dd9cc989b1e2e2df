// Process plumbing shared by bench/run.mjs and bench/profile.mjs: the fake server process and one
// fresh child process per client run.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Starts bench/server.mjs in its own process; resolves with its base URL and a stop function. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = fork(here('./server.mjs'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
    child.once('message', ({ port }) => {
      child.removeAllListeners('exit');
      resolve({
        base: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/**
 * Runs one client in a fresh process; resolves with its report (`{ ok: false, error }` when it failed,
 * crashed or timed out). `execArgv` adds node flags (e.g. `--cpu-prof`).
 */
export function runClient(config, { execArgv = [], timeoutMs = 300_000 } = {}) {
  return new Promise((resolve) => {
    const child = fork(here('./client.mjs'), [JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv,
    });
    let output = '';
    let result;
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('message', (message) => {
      result = message;
    });
    const timer = setTimeout(() => {
      result ??= { ok: false, label: config.label, error: `timed out after ${timeoutMs} ms` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(
        result ?? {
          ok: false,
          label: config.label,
          error: `exited (${signal ?? code}) without a report: ${output.trim().split('\n').slice(-3).join(' / ')}`,
        },
      );
    });
  });
}
