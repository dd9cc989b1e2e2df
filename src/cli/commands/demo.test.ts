import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbidInOutput, runCli } from '../test-support/cli-harness.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-demo-'));
  forbidInOutput(['demo-key-alpha-0001', 'demo-key-bravo-0002']);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

// Each test spawns the built CLI (about half a second per run on a loaded machine).
describe('switchboard demo', { timeout: 60_000 }, () => {
  it('walks the offline tour in a few seconds, with no config, and exits 0', async () => {
    // No switchboard.yaml, a config path that does not exist, and a proxy that would fail: the demo needs none.
    const run = await runCli(['demo'], {
      cwd: dir,
      env: {
        SWITCHBOARD_CONFIG: join(dir, 'missing.yaml'),
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
      },
      timeoutMs: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^switchboard demo — local fake provider — no network, no real keys$/m);
    expect(out).toMatch(/fake provider on http:\/\/127\.0\.0\.1:\d+/);
    const steps = [
      '1. A streamed answer',
      '2. A rate limit (HTTP 429) absorbed by key rotation',
      '3. Key health',
      '4. A structured answer',
      '5. A tool call',
    ];
    const positions = steps.map((step) => out.indexOf(step));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(out).toContain('A key pool spreads calls over several API keys');
    // The 429 on one key, the answer from the other one.
    expect(out).toMatch(/attempt 1: key (demo…\d{4}) → HTTP 429 API_RATE_LIMITED/);
    expect(out).toMatch(/attempt 2: key demo…\d{4} → HTTP 200 ok/);
    const [, limited] = /attempt 1: key (demo…\d{4})/.exec(out) ?? [];
    const [, answered] = /attempt 2: key (demo…\d{4})/.exec(out) ?? [];
    expect(limited).not.toBe(answered);
    expect(out).toMatch(new RegExp(`^ {2}${limited} +cooldown +\\d+s +1 +0%`, 'm'));
    expect(out).toContain(
      '{"city":"Paris","country":"France","population":2102650,"landmarks":["Eiffel Tower","Louvre"]}',
    );
    expect(out).toContain(
      'model called get_weather({"city":"Paris"}) → {"city":"Paris","tempC":21,"sky":"sunny"}',
    );
    expect(out).toMatch(
      /done in \d+\.\d s: the fake provider answered 6 requests; nothing left this machine\./,
    );
    expect(await readdir(dir)).toEqual([]); // nothing written (memory key store)
  });

  it('streams the first step as it arrives', async () => {
    const run = await runCli(['demo'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdoutTimes.length).toBeGreaterThan(10);
  });
});
