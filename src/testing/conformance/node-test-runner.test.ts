import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The suite needs no particular test framework: the built kit (dist/testing) runs it under node:test.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KIT = join(ROOT, 'dist', 'testing', 'index.js');
let dir: string;

beforeAll(() => {
  if (!existsSync(KIT)) throw new Error('dist/ is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'conformance-node-test-'));
});
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

it('defineProviderConformance registers with node:test: cases pass, skipped ones carry their reason', async () => {
  const script = join(dir, 'openai.test.mjs');
  writeFileSync(
    script,
    `import { describe, it } from 'node:test';
import { defineProviderConformance, openaiChatWireKit } from ${JSON.stringify(pathToFileURL(KIT).href)};
defineProviderConformance(
  { name: 'OpenAI under node:test', apiType: 'openai', wire: openaiChatWireKit,
    models: { chat: 'gpt-4o-mini' }, structuredStrategy: 'native' },
  { describe, it },
);
`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, ['--test', '--test-reporter=tap', script], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(stdout).toMatch(/^# fail 0$/m);
  expect(stdout).toMatch(/^# pass (3\d)$/m);
  expect(stdout).toMatch(
    /^ {4}ok \d+ - embeddings: embed returns .*\(skipped: the target has no models\.embedding\) # SKIP$/m,
  );
}, 60_000);
