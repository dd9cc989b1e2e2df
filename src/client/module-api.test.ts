import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../testing/index.js';

const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

// Async on purpose: the fake provider lives in this process and must keep answering while the child runs.
function runNode(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd, env, encoding: 'utf8', timeout: 20_000 },
      (_error, stdout, stderr) => resolve({ stdout, stderr }),
    );
  });
}

describe('module-level API in a fresh process', () => {
  it('needs the built package (npm test builds before running the suite)', () => {
    expect(existsSync(DIST), `${DIST} is missing: run \`npm run build\` first`).toBe(true);
  });

  it('chats with the default client built from SWITCHBOARD_CONFIG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-module-'));
    const configPath = join(dir, 'custom.yaml');
    writeFileSync(
      configPath,
      [
        'providers:',
        '  - name: Fake',
        '    apiType: openai',
        `    apiBase: ${fake.openaiBase}`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${ENV} reference for loadConfig to expand
        '    apiKeys: ["${FAKE_KEY}"]',
        '    models: [fake-model]',
      ].join('\n'),
    );
    const script = `
      import { chat, closeDefaultLLM } from ${JSON.stringify(DIST)};
      const response = await chat('from a fresh process');
      console.log(JSON.stringify({ text: response.text, model: response.model }));
      await closeDefaultLLM();
    `;
    const result = await runNode(
      script,
      { ...process.env, SWITCHBOARD_CONFIG: configPath, FAKE_KEY: 'test-key-module-1' },
      dir,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim())).toEqual({
      text: 'echo: from a fresh process',
      model: 'Fake/fake-model',
    });
    expect(fake.lastRequest?.apiKey).toBe('test-key-module-1');
  });

  it('explains how to create switchboard.yaml when there is no config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-module-empty-'));
    const script = `
      import { chat } from ${JSON.stringify(DIST)};
      try { await chat('hi'); } catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }
    `;
    const env = { ...process.env };
    delete env.SWITCHBOARD_CONFIG;
    const result = await runNode(script, env, dir);
    const output = JSON.parse(result.stdout.trim()) as { code: string; message: string };
    expect(output.code).toBe('CONFIGURATION_ERROR');
    expect(output.message).toContain('switchboard.yaml');
  });
});
