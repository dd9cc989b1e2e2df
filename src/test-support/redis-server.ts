import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A redis-server for tests: the one `.ci/run` started (env), or one started here on a free port. */
export interface TestRedis {
  url: string;
  /** Stops a server this helper started (no-op for an external one). */
  stop(): Promise<void>;
  /** Stops and restarts a server this helper started, on the same port (for outage tests). */
  restart?(): Promise<void>;
  pause?(): Promise<void>;
  resume?(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address != null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
}

function startProcess(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Returns a Redis for tests, or a reason why none is available. In CI (`CI` set) a missing Redis is an
 * error, not a skip: `.ci/run` installs and starts one and exports `SWITCHBOARD_TEST_REDIS_URL`.
 */
export async function startTestRedis(
  options: { own?: boolean } = {},
): Promise<TestRedis | { unavailable: string }> {
  const external = process.env.SWITCHBOARD_TEST_REDIS_URL;
  // `own: true` starts a private server (outage tests stop and restart it).
  if (options.own !== true && external != null && external !== '')
    return { url: external, stop: async () => undefined };
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (probe.error != null || probe.status !== 0) {
    const reason =
      'redis-server is not installed (apt-get install -y redis-server) and SWITCHBOARD_TEST_REDIS_URL is unset';
    if (process.env.CI != null) throw new Error(`CI must provide Redis: ${reason}`);
    return { unavailable: reason };
  }
  const port = await freePort();
  let child = startProcess(port);
  await waitForPort(port, 5000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopProcess(child),
    restart: async () => {
      await stopProcess(child);
      child = startProcess(port);
      await waitForPort(port, 5000);
    },
    pause: async () => {
      await stopProcess(child);
    },
    resume: async () => {
      child = startProcess(port);
      await waitForPort(port, 5000);
    },
  };
}
