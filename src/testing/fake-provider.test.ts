import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { openaiStreamReply, startFakeProvider } from './index.js';
import { postJson } from './test-support/http.js';

const srcDir = fileURLToPath(new URL('../', import.meta.url));

/** Transpiles src/testing/index.ts and everything it imports into `outDir` (plain ESM for a child process). */
function transpileTestKit(outDir: string): string {
  const pending = [join(srcDir, 'testing/index.ts')];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const output = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    }).outputText;
    const target = join(outDir, relative(srcDir, file).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
    for (const match of output.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
  }
  return join(outDir, 'testing/index.js');
}

describe('startFakeProvider', () => {
  it('listens on 127.0.0.1 with a random port and exposes the provider bases', async () => {
    await using fake = await startFakeProvider();
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.openaiBase).toBe(`${fake.url}/v1`);
    expect(fake.geminiBase).toBe(fake.url);
  });

  it('close() ends stalled, streaming and keep-alive connections, is idempotent, and frees the port', async () => {
    const fake = await startFakeProvider([{ stall: true }, openaiStreamReply(['a', 'b'], { stallAfter: 1 })]);
    const settle = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: unknown) => error,
      );
    const stalled = settle(fetch(`${fake.openaiBase}/chat/completions`, { method: 'POST', body: '{}' }));
    const streaming = await fetch(`${fake.openaiBase}/chat/completions`, { method: 'POST', body: '{}' });
    const streamText = settle(streaming.text());
    await (await postJson(`${fake.openaiBase}/embeddings`, { input: 'keep-alive' })).json();
    await expect.poll(() => fake.requests.length, { timeout: 15_000 }).toBe(3);

    // A stalled request never ends by itself: close() settling at all shows it ended the connections.
    const first = fake.close();
    expect(fake.close()).toBe(first);
    await first;
    expect(await stalled).toBeInstanceOf(Error);
    expect(await streamText).toBeInstanceOf(Error);
    await fake.close();
    expect(process.getActiveResourcesInfo()).not.toContain('TCPServerWrap');
    await expect(fetch(`${fake.url}/v1/models`)).rejects.toThrow();
  });

  it('lets a process exit after close() with a stalled request pending (no open handles)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'fake-provider-'));
    try {
      const entry = transpileTestKit(outDir);
      const script = join(outDir, 'child.mjs');
      writeFileSync(
        script,
        `import { startFakeProvider } from ${JSON.stringify(entry)};
const fake = await startFakeProvider([{ stall: true }, { sse: ['a'], stallAfter: 1 }]);
const stalled = fetch(fake.url + '/v1/chat/completions', { method: 'POST', body: '{}' }).catch(() => 'rejected');
const stream = await fetch(fake.url + '/v1/chat/completions', { method: 'POST', body: '{}' });
const reader = stream.body.getReader();
await reader.read();
while (fake.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
await fake.close();
console.log(await stalled);
`,
      );
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise<number | string>((done) => {
        const timer = setTimeout(() => {
          child.kill();
          done('did not exit within 10 s');
        }, 10_000);
        child.once('exit', (exitCode) => {
          clearTimeout(timer);
          done(exitCode ?? -1);
        });
      });
      expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'rejected' });
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 20_000);
});
