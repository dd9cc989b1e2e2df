import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve as resolvePath } from 'node:path';
import { LLMError } from '../errors/llm-error.js';
import type { LLMConfig } from '../spec/index.js';
import { type ConfigIssue, configurationError, formatPath } from './config-issues.js';
import { expandEnv } from './env-expand.js';
import { fromFileLayout } from './file-layout.js';
import { resolveConfig } from './resolve-config.js';

// A configuration is small; these bound what a hostile or broken file can make the loader do.
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_ALIAS_COUNT = 100;

/** Files tried, in order, when no path is given and `SWITCHBOARD_CONFIG` is not set. */
export const DEFAULT_CONFIG_FILES = ['switchboard.yaml', 'switchboard.yml', 'switchboard.json'] as const;

const EXAMPLE = [
  'providers:',
  '  - name: OpenAI',
  '    apiType: openai',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ENV} reference in the YAML example
  '    apiKeys: ["${OPENAI_API_KEY}"]',
  '    models: [gpt-4o-mini]',
  'defaultModel: OpenAI/gpt-4o-mini',
].join('\n');

/** Where `loadConfig` reads from and which environment it expands; both default to the process's. */
export interface LoadConfigOptions {
  /** Variables for `${NAME}` references. @default process.env */
  env?: Record<string, string | undefined>;
  /** Directory relative paths and the default file names are resolved against. @default process.cwd() */
  cwd?: string;
}

/**
 * Reads a YAML or JSON config file into an `LLMConfig`: expands `${NAME}` / `${NAME:-default}`, accepts
 * camelCase, snake_case and the seed's `AI:` layout, and validates it once with `resolveConfig` so that
 * every problem is reported now, by path as written in the file, in one `CONFIGURATION_ERROR`. Keys are
 * plain data (`constructor` or `__proto__` is an unknown key like any other). Refused as
 * `CONFIGURATION_ERROR`: files over 4 MiB, nesting deeper than 64 levels, YAML whose aliases expand more
 * than 100 times (a "billion laughs" document), and YAML or JSON syntax errors (with line and column).
 *
 * @param path the file; default `SWITCHBOARD_CONFIG`, else `./switchboard.yaml` (`.yml`, `.json`)
 * @example const llm = createLLM(await loadConfig('switchboard.yaml'));
 */
export async function loadConfig(path?: string, options: LoadConfigOptions = {}): Promise<LLMConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = locate(path ?? nonEmpty(env.SWITCHBOARD_CONFIG), cwd);
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_CONFIG_BYTES) {
      throw new LLMError(
        'CONFIGURATION_ERROR',
        `Configuration file ${file} is ${size} bytes; a configuration is at most ${MAX_CONFIG_BYTES} bytes`,
        { details: { file, limit: MAX_CONFIG_BYTES } },
      );
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (LLMError.isInstance(error)) throw error;
    throw new LLMError(
      'CONFIGURATION_ERROR',
      `Cannot read configuration file ${file}: ${(error as Error).message}`,
      {
        cause: error,
        details: { file },
      },
    );
  }
  const raw = await parseText(text, file);
  if (raw == null) {
    throw new LLMError(
      'CONFIGURATION_ERROR',
      `Configuration file ${file} is empty. For example:\n\n${EXAMPLE}`,
      {
        details: { file },
      },
    );
  }
  const tooDeep = deeperThan(raw, MAX_DEPTH);
  if (tooDeep !== undefined) {
    throw configurationError(
      [{ path: tooDeep, message: `nested more than ${MAX_DEPTH} levels deep` }],
      `Invalid configuration in ${file}`,
    );
  }
  const expanded = expandEnv(raw, env);
  const layout = fromFileLayout(expanded.value);
  const issues: ConfigIssue[] = [...expanded.issues, ...layout.issues];
  try {
    resolveConfig(layout.config);
  } catch (error) {
    if (!LLMError.isInstance(error) || error.code !== 'CONFIGURATION_ERROR') throw error;
    const found = (error.details?.issues ?? []) as ConfigIssue[];
    issues.push(
      ...found.map((issue) => {
        const path = layout.sourcePathOf(issue.path);
        return { path, message: inFileStyle(issue.message, path) };
      }),
    );
  }
  if (issues.length > 0) {
    const error = configurationError(issues, `Invalid configuration in ${file}`);
    error.details = { ...error.details, file };
    throw error;
  }
  return layout.config as LLMConfig;
}

function locate(path: string | undefined, cwd: string): string {
  if (path !== undefined) {
    const file = resolvePath(cwd, path);
    if (existsSync(file)) return file;
    throw new LLMError(
      'CONFIGURATION_ERROR',
      `Configuration file not found: ${file}\nCreate it (YAML or JSON), for example:\n\n${EXAMPLE}`,
      { details: { file } },
    );
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const file = resolvePath(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new LLMError(
    'CONFIGURATION_ERROR',
    `No configuration file found: looked for ${DEFAULT_CONFIG_FILES.join(', ')} in ${cwd} ` +
      '(set SWITCHBOARD_CONFIG or pass a path to loadConfig).\n' +
      `Create switchboard.yaml, for example:\n\n${EXAMPLE}`,
    { details: { searched: DEFAULT_CONFIG_FILES.map((name) => resolvePath(cwd, name)) } },
  );
}

async function parseText(text: string, file: string): Promise<unknown> {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const message = (error as Error).message;
      const position = /at position (\d+)/.exec(message);
      const where = position ? ` at ${lineColumn(text, Number(position[1]))}` : '';
      throw new LLMError('CONFIGURATION_ERROR', `Invalid JSON in ${file}${where}: ${message}`, {
        cause: error,
        details: { file },
      });
    }
  }
  // Imported here, not at start-up: a JSON config (or createLLM without a file) never needs the YAML parser.
  const { parseDocument } = await import('yaml');
  // logLevel: a mapping used as a key would otherwise print a warning; it becomes an unknown key instead.
  const document = parseDocument(text, { prettyErrors: true, logLevel: 'error' });
  const first = document.errors[0];
  if (first !== undefined) {
    const position = first.linePos?.[0];
    const where = position ? ` at line ${position.line}, column ${position.col}` : '';
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.message;
    throw new LLMError('CONFIGURATION_ERROR', `Invalid YAML in ${file}${where}: ${reason}`, {
      details: { file, line: position?.line, column: position?.col },
    });
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (a "billion laughs" document).
    const reason =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `aliases (*name) expand too much: refused as a possible "billion laughs" expansion (at most ${MAX_ALIAS_COUNT} alias expansions)`
        : `cannot be read (${error instanceof Error ? error.message : String(error)})`;
    throw new LLMError('CONFIGURATION_ERROR', `Invalid YAML in ${file}: ${reason}`, { details: { file } });
  }
}

/** The path of the first value nested more than `limit` levels deep, if any (stops at the limit). */
function deeperThan(value: unknown, limit: number, path: (string | number)[] = []): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (path.length >= limit) return formatPath(path);
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const found = deeperThan(item, limit, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** A key suggestion in the style of the key it corrects (`max_token` → did you mean "max_tokens"?). */
function inFileStyle(message: string, path: string): string {
  const key = /[^.\]]+$/.exec(path)?.[0] ?? '';
  if (!key.includes('_')) return message;
  return message.replace(
    /^(unknown key \(did you mean ")(\w+)("\?\))$/,
    (_m, head: string, name: string, tail: string) => {
      return head + name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) + tail;
    },
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value != null && value.trim() !== '' ? value.trim() : undefined;
}
