import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import './builtin-providers.js';
import { registeredApiTypes } from './provider-registry.js';

/**
 * "Nothing outside a provider's folder and the registry names a provider or branches on an apiType"
 * (API.md §13). Scans the non-test sources outside `src/providers/` for string literals that are a
 * built-in apiType, object keys that are one (tables keyed by apiType), and comparisons of an `apiType`
 * or `dialect` field with a string or `switch`es on one, ignoring comments.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// `anthropic` is built in too once its folder is wired (API.md §13).
const NAMES = new Set([...registeredApiTypes(), 'anthropic']);
const BRANCH_FIELDS = new Set(['apiType', 'dialect']);

/** Allowed, with the reason. Each entry must still match something (no stale exemptions). */
const ALLOWED: { file: string; text: string; reason: string }[] = [
  { file: 'spec/config.ts', text: "'openai'", reason: 'the public BuiltInApiType union (autocompletion)' },
  { file: 'spec/config.ts', text: "'deepseek'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'zhipu'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'ark'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'openrouter'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'openai_responses'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'gemini'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'openai_image'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'nano_banana'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'anthropic'", reason: 'the public BuiltInApiType union' },
  { file: 'spec/config.ts', text: "'smart'", reason: 'the public BuiltInApiType union' },
  {
    file: 'spec/tool.ts',
    text: "'gemini'",
    reason: "API.md: native tools are ProviderToolSpec { provider: 'gemini' }",
  },
  {
    file: 'generation/native-tools.ts',
    text: "'gemini'",
    reason: 'API.md helpers geminiCodeExecution() etc.',
  },
  {
    file: 'tools/tool-registry.ts',
    text: "'gemini'",
    reason: "the built-in 'url_context' tool name (a native tool)",
  },
  { file: 'tools/normalize-tool.ts', text: "'gemini'", reason: 'native tool specs given as plain objects' },
  { file: 'cli/demo-tour.ts', text: "'openai'", reason: 'the offline demo config' },
  {
    file: 'config/file-layout.ts',
    text: "'openai'",
    reason: "the seed layout's default api_type (seed-spec)",
  },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // The providers themselves; the test kit imitates the providers' wire formats (API.md §11).
      if (entry.name === 'test-support' || path === join(ROOT, 'providers') || path === join(ROOT, 'testing'))
        return [];
      return sources(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function isBranchField(node: ts.Node): boolean {
  return ts.isPropertyAccessExpression(node) && BRANCH_FIELDS.has(node.name.text);
}

/** `file:line text` for every provider name or apiType branch in one file. */
function findings(path: string): { file: string; line: number; text: string }[] {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const file = relative(ROOT, path).split('\\').join('/');
  const out: { file: string; line: number; text: string }[] = [];
  const report = (node: ts.Node, what: string) =>
    out.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: what });
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && NAMES.has(node.text)) {
      report(node, `'${node.text}'`);
    } else if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      ts.isIdentifier(node.name) &&
      NAMES.has(node.name.text)
    ) {
      // `{ openai: 'https://…' }`: a table keyed by apiType.
      report(node.name, `${node.name.text}:`);
    } else if (
      ts.isBinaryExpression(node) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
        node.operatorToken.kind,
      ) &&
      ((isBranchField(node.left) && ts.isStringLiteralLike(node.right)) ||
        (isBranchField(node.right) && ts.isStringLiteralLike(node.left)))
    ) {
      report(node, node.getText(source));
    } else if (ts.isSwitchStatement(node) && isBranchField(node.expression)) {
      report(node, `switch (${node.expression.getText(source)})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('provider knowledge stays in src/providers/', () => {
  const all = sources(ROOT).flatMap(findings);

  it('no file outside a provider folder names a built-in apiType or branches on one', () => {
    const offending = all
      .filter(
        (found) => !ALLOWED.some((allowed) => allowed.file === found.file && allowed.text === found.text),
      )
      .map((found) => `${found.file}:${found.line} ${found.text}`);
    expect(offending).toEqual([]);
  });

  it('every exemption is still needed', () => {
    const stale = ALLOWED.filter(
      (allowed) => !all.some((found) => found.file === allowed.file && found.text === allowed.text),
    );
    expect(stale).toEqual([]);
  });

  it('finds what it is meant to find', () => {
    const probe = join(ROOT, 'providers', 'provider-boundary.test.ts');
    const here = findings(probe).map((found) => found.text);
    expect(here).toContain("'anthropic'");
  });
});
