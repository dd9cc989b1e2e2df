import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command, type Option } from 'commander';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CliContext } from './cli/cli-context.js';
import { buildProgram } from './cli/program.js';
import { LLM_ERROR_CODES } from './errors/error-codes.js';

// docs/api.md is the project's own reference: it must name every export of every package entry point, every
// error code and every CLI command and flag, and no document may link outside the repository.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE_PATH = join(ROOT, 'docs', 'api.md');
const reference = readFileSync(REFERENCE_PATH, 'utf8');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An entry for `name`: a code span that starts with it (`` `createLLM(config)` ``, `` `new ToolInvoker` ``). */
function hasEntry(name: string): boolean {
  return new RegExp(`\`(?:new )?${escapeRegExp(name)}(?![\\w$])`).test(reference);
}

/** The source file of each entry point in package.json `exports` (`./dist/x/index.js` → `src/x/index.ts`). */
function entryPoints(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: string }>;
  };
  const files: string[] = [];
  for (const target of Object.values(pkg.exports)) {
    const built = typeof target === 'string' ? target : target.import;
    if (built == null || !built.startsWith('./dist/') || !built.endsWith('.js')) continue;
    files.push(join(ROOT, 'src', `${built.slice('./dist/'.length, -'.js'.length)}.ts`));
  }
  return files;
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);

/**
 * Every name a module exports, values and types alike, read syntactically: `export { a, type B } from`,
 * `export type { … }`, `export * from` / `export type * from` (followed into relative modules), and exported
 * declarations.
 */
function exportedNames(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause != null && ts.isNamedExports(clause)) {
        for (const element of clause.elements) names.add(element.name.text);
      } else if (clause != null && ts.isNamespaceExport(clause)) {
        names.add(clause.name.text);
      } else if (statement.moduleSpecifier != null && ts.isStringLiteral(statement.moduleSpecifier)) {
        const specifier = statement.moduleSpecifier.text;
        if (!specifier.startsWith('.')) throw new Error(`${file}: export * from a package (${specifier})`);
        const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        for (const name of exportedNames(target, seen)) names.add(name);
      }
    } else if (isExported(statement)) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
        }
      } else if (
        (ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isEnumDeclaration(statement)) &&
        statement.name != null
      ) {
        names.add(statement.name.text);
      }
    }
  }
  return names;
}

/** Every command path (`keys`, `keys reset`) and long option flag of the CLI, as `--help` shows them. */
function cliSurface(): { commands: string[]; flags: string[] } {
  const sink = new PassThrough();
  const io = { stdout: sink, stderr: sink, stdin: new PassThrough(), env: {}, cwd: ROOT };
  const program = new Command();
  buildProgram(program, new CliContext(io, () => program.opts()));
  const commands: string[] = [];
  const flags = new Set<string>();
  const addFlags = (options: readonly Option[]) => {
    for (const option of options) if (option.long != null) flags.add(option.long);
  };
  addFlags(program.options);
  const walk = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const path = `${prefix}${sub.name()}`;
      commands.push(path);
      addFlags(sub.options);
      walk(sub, `${path} `);
    }
  };
  walk(program, '');
  return { commands, flags: [...flags] };
}

/** The link targets of a Markdown text (inline and reference style), outside code blocks and code spans. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets: string[] = [];
  for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g))
    targets.push(match[1] ?? '');
  for (const match of prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm))
    targets.push(match[1] ?? '');
  return targets;
}

/** GitHub's heading anchors of a Markdown text. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = (match[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    anchors.add(slug);
  }
  return anchors;
}

/** The project's Markdown documents: README.md, docs/*.md and each integration's README. */
function documents(): string[] {
  const files = [join(ROOT, 'README.md')];
  for (const name of readdirSync(join(ROOT, 'docs'))) {
    if (name.endsWith('.md')) files.push(join(ROOT, 'docs', name));
  }
  const integrations = join(ROOT, 'integrations');
  for (const name of existsSync(integrations) ? readdirSync(integrations) : []) {
    const readme = join(integrations, name, 'README.md');
    if (existsSync(readme)) files.push(readme);
  }
  return files;
}

describe('docs/api.md, the API reference', () => {
  it('has an entry for every export of every entry point in package.json exports', () => {
    const files = entryPoints();
    expect(files.map((file) => relative(ROOT, file))).toEqual(
      expect.arrayContaining(['src/index.ts', 'src/testing/index.ts']),
    );
    for (const file of files) {
      const names = [...exportedNames(file)];
      expect(names.length, relative(ROOT, file)).toBeGreaterThan(10);
      const missing = names.filter((name) => !hasEntry(name));
      expect(missing, `exports of ${relative(ROOT, file)} without an entry in docs/api.md`).toEqual([]);
    }
  });

  it('describes every LLMError code in the error table', () => {
    const missing = LLM_ERROR_CODES.filter(
      (code) => !new RegExp(`^\\| \`${code}\` \\|`, 'm').test(reference),
    );
    expect(missing).toEqual([]);
  });

  it('documents every CLI command and every long flag', () => {
    const { commands, flags } = cliSurface();
    expect(commands).toEqual(expect.arrayContaining(['chat', 'keys', 'keys reset', 'doctor']));
    const missingCommands = commands.filter(
      (command) => !new RegExp(`\`switchboard ${escapeRegExp(command)}(?![\\w-])`).test(reference),
    );
    expect(missingCommands).toEqual([]);
    const missingFlags = flags.filter(
      (flag) => !new RegExp(`${escapeRegExp(flag)}(?![\\w-])`).test(reference),
    );
    expect(missingFlags).toEqual([]);
  });

  it('has a table of contents whose links all land on a heading', () => {
    const anchors = headingAnchors(reference);
    const local = linkTargets(reference).filter((target) => target.startsWith('#'));
    expect(local.length).toBeGreaterThan(20);
    expect(local.filter((target) => !anchors.has(target.slice(1)))).toEqual([]);
  });
});

describe('links of the project documents', () => {
  it('never send the reader to ../shared, which users of the repository or the package do not have', () => {
    const mentions = documents().filter((file) =>
      /\.\.\/shared\/|shared\/API\.md/.test(readFileSync(file, 'utf8')),
    );
    expect(mentions.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('never point outside the repository, to ../shared or to an API.md', () => {
    const problems: string[] = [];
    for (const file of documents()) {
      const where = relative(ROOT, file);
      for (const target of linkTargets(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
        const [path = '', fragment] = target.split('#', 2);
        if (/(^|\/)API\.md$/.test(path) || /(^|\/)shared\//.test(path)) {
          problems.push(`${where}: ${target} (the contract is docs/api.md)`);
          continue;
        }
        if (path === '') {
          if (
            fragment != null &&
            file.endsWith('.md') &&
            !headingAnchors(readFileSync(file, 'utf8')).has(fragment)
          ) {
            problems.push(`${where}: ${target} (no such heading)`);
          }
          continue;
        }
        const resolved = resolve(dirname(file), decodeURIComponent(path));
        if (relative(ROOT, resolved).startsWith('..')) {
          problems.push(`${where}: ${target} (outside the repository)`);
        } else if (!existsSync(resolved)) {
          problems.push(`${where}: ${target} (no such file)`);
        } else if (fragment != null && resolved.endsWith('.md')) {
          if (!headingAnchors(readFileSync(resolved, 'utf8')).has(fragment)) {
            problems.push(`${where}: ${target} (no such heading)`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
