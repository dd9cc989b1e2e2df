import { type ConfigIssue, formatPath } from './config-issues.js';
import { setOwn } from './own-keys.js';

const REFERENCE = /\$(\$)?\{([^}]*)\}/g;
const INNER = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** The expanded tree and one issue per unresolvable reference (path as in the file). */
export interface ExpandResult {
  value: unknown;
  issues: ConfigIssue[];
}

/**
 * Expands `${VAR}` and `${VAR:-default}` (default when unset or empty) in every string value of a parsed
 * config file; `$${` is a literal `${`. A variable that is not set and has no default is an issue naming
 * the variable and the path where it is used (the reference is left in place). Keys are not expanded.
 *
 * @example expandEnv({ apiKeys: '${OPENAI_KEY}' }, { OPENAI_KEY: 'k' }).value // { apiKeys: 'k' }
 */
export function expandEnv(value: unknown, env: Record<string, string | undefined>): ExpandResult {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') return expandString(node, env, path, issues);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (typeof node === 'object' && node !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) setOwn(out, key, walk(item, [...path, key]));
      return out;
    }
    return node;
  };
  return { value: walk(value, []), issues };
}

function expandString(
  text: string,
  env: Record<string, string | undefined>,
  path: (string | number)[],
  issues: ConfigIssue[],
): string {
  if (!text.includes('${')) return text;
  return text.replace(REFERENCE, (match, escaped: string | undefined, inner: string) => {
    if (escaped !== undefined) return match.slice(1);
    const parsed = INNER.exec(inner.trim());
    if (parsed === null) {
      issues.push({
        path: formatPath(path),
        message: `invalid reference "\${${inner}}" (use \${NAME} or \${NAME:-default}; $\${ for a literal)`,
      });
      return match;
    }
    const name = parsed[1] ?? '';
    const fallback = parsed[2];
    const current = Object.hasOwn(env, name) ? env[name] : undefined;
    if (typeof current === 'string' && (current !== '' || fallback === undefined)) return current;
    if (fallback !== undefined) return fallback;
    issues.push({
      path: formatPath(path),
      message: `environment variable ${name} is not set (set it, or write \${${name}:-default})`,
    });
    return match;
  });
}
