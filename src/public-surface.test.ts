import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The published types (`npm test` builds before running the suite).
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

// A user's file: the public surface, used the way API.md shows (a provider of its own included).
const CONSUMER = `
import { createLLM, registerProvider, type ChatDialect, type LLMConfig, type ProviderDefinition } from 'switchboard-llm';
import { startFakeProvider } from 'switchboard-llm/testing';

const chat: ChatDialect = {
  buildChatRequest: (input) => ({
    value: { method: 'POST', url: input.model.provider.apiBase + '/chat', headers: { ...input.model.provider.headers }, body: {}, stream: input.stream },
    warnings: [],
  }),
  parseChatResponse: () => ({ text: '', contentParts: [], toolCalls: [], finishReason: 'stop', images: [], warnings: [] }),
  createStreamParser: () => ({ push() {}, finish: () => ({ text: '', contentParts: [], toolCalls: [], finishReason: 'stop', images: [], warnings: [] }) }),
};
const definition: ProviderDefinition = {
  apiType: 'consumer_toy',
  defaultApiBase: 'https://toy.example',
  auth: { scheme: 'header', name: 'x-toy-key' },
  chat: () => chat,
  structuredOutput: { fallback: 'tool_call' },
  classifyError: (failure) => (failure.status === 529 ? 'API_SERVER_ERROR' : undefined),
};
registerProvider(definition, { replace: true });
const config: LLMConfig = { providers: [{ name: 'Toy', apiType: 'consumer_toy', apiKeys: 'k', models: ['m'] }] };
const llm = createLLM(config);
// @ts-expect-error internal members are not published
llm.context;
void llm.chat('hi');
void startFakeProvider;
`;

describe('published type declarations (dist/)', () => {
  it('exist (npm test builds before running the suite)', () => {
    expect(existsSync(join(DIST, 'index.d.ts')), 'dist/ is missing: run `npm run build` first').toBe(true);
  });

  it('carry no @internal member', () => {
    const leaking = declarationFiles(DIST).filter((file) => readFileSync(file, 'utf8').includes('@internal'));
    expect(leaking).toEqual([]);
  });

  it('compile in a strict consumer that adds a provider of its own', () => {
    const file = join(DIST, '..', '__consumer__.ts');
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      skipLibCheck: false,
      // Resolve the package name to this checkout (as a user's node_modules would).
      paths: {
        'switchboard-llm': [join(DIST, 'index.d.ts')],
        'switchboard-llm/testing': [join(DIST, 'testing', 'index.d.ts')],
      },
      baseUrl: join(DIST, '..'),
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? CONSUMER : readFile(name));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter(
        (diagnostic) => diagnostic.file == null || diagnostic.file.fileName.startsWith(join(DIST, '..')),
      )
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(diagnostics).toEqual([]);
    // A whole type check of dist and its dependencies' declarations: slow on a busy machine.
  }, 180_000);
});
