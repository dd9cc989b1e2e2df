// biome-ignore-all lint/suspicious/noTemplateCurlyInString: koishi.yml holds literal ${{ env.X }} references
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeProvider, startFakeProvider } from 'switchboard-llm/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin, PACKAGE_DIR } from './support/koishi';

const RUNNER = fileURLToPath(new URL('./support/run-koishi.cjs', import.meta.url));
const KEY = 'test-key-0123456789abcdef';
/** Only a guard against a hang: a healthy run ends in about a second. */
const HANG_GUARD_MS = 60_000;

let fake: FakeProvider;

beforeEach(async () => {
  fake = await startFakeProvider();
});

afterEach(async () => {
  await fake.close();
});

/** The koishi.yml of the README, with the plugin named by its directory (npm links the package name). */
function koishiYml(pluginKey: string): string {
  return [
    'plugins:',
    '  mock: {}',
    `  ${pluginKey}:`,
    '    providers:',
    '      - name: Fake',
    '        apiType: openai',
    '        apiBase: ${{ env.FAKE_OPENAI_BASE }}',
    '        apiKeys:',
    '          - ${{ env.FAKE_API_KEY }}',
    '        models: [fake-model]',
    '    locale: en',
    '    observeGroups: true',
    '',
  ].join('\n');
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  results: Record<string, unknown>;
}

function runKoishi(instanceDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, join(instanceDir, 'koishi.yml'), PACKAGE_DIR], {
      // `koishi start` runs in the instance directory: it is Koishi's baseDir.
      cwd: instanceDir,
      env: { ...process.env, FAKE_OPENAI_BASE: fake.openaiBase, FAKE_API_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      const results: Record<string, unknown> = {};
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('RESULT ')) continue;
        const { step, value } = JSON.parse(line.slice('RESULT '.length)) as { step: string; value: unknown };
        results[step] = value;
      }
      resolve({ code, signal, stdout, stderr, results });
    });
  });
}

describe('loaded by Koishi', () => {
  it("Koishi's loader require()s the built plugin from koishi.yml; ask works; disposing closes the client and leaves nothing open", async () => {
    loadPlugin(); // a clear error when lib/ was not built
    const instance = mkdtempSync(join(tmpdir(), 'koishi-instance-'));
    writeFileSync(join(instance, 'koishi.yml'), koishiYml(PACKAGE_DIR));

    const run = await runKoishi(instance);

    expect(run.results.error).toBeUndefined();
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.results).toEqual({
      service: true,
      ask: ['echo: hello'],
      closeCalled: true,
      serviceAfterDispose: true,
      openResources: [],
    });
    const [request] = fake.requestsTo('chat/completions');
    expect(request?.apiKey).toBe(KEY);
    expect(request?.body).toMatchObject({
      messages: [
        { role: 'user', content: 'bob: the meeting moved to Friday' },
        { role: 'user', content: 'hello' },
      ],
    });
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});
