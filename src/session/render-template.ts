/**
 * Fills `{{name}}` placeholders of an instruction from `variables`. The whole syntax:
 *
 * - `{{name}}` or `{{ name }}` (spaces inside the braces are ignored) is replaced by the variable's value;
 * - dotted paths read nested values: `{{user.name}}`, `{{items.0}}` (own properties only, never the prototype);
 * - strings are inserted as they are, numbers and booleans with `String()`, `null` as an empty string, a
 *   `Date` as ISO text, other objects and arrays as JSON;
 * - an unknown variable (missing, `undefined`, or a function) leaves its placeholder untouched, so a typo shows
 *   in the text instead of silently vanishing;
 * - `\{{` writes a literal `{{` (the backslash is removed): `\{{name}}` renders `{{name}}`;
 * - nothing is evaluated (no expressions, filters, loops or calls) and nothing is HTML-escaped; there is no
 *   triple-brace `{{{ }}}` form (in `{{{x}}}` only the inner `{{x}}` is a placeholder).
 *
 * @example renderTemplate('Hello {{ user.name }}, today is {{day}}.', { user: { name: 'Ada' }, day: 'Monday' })
 *   // → 'Hello Ada, today is Monday.'
 */
export function renderTemplate(template: string, variables: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (match: string, path: string | undefined) => {
    if (path === undefined) return '{{';
    const value = lookup(variables, path);
    return value === MISSING ? match : format(value);
  });
}

const PLACEHOLDER = /\\\{\{|\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*\}\}/g;
const MISSING = Symbol('missing');

function lookup(variables: Record<string, unknown>, path: string): unknown {
  let current: unknown = variables;
  for (const key of path.split('.')) {
    if (current == null || typeof current !== 'object' || !Object.hasOwn(current, key)) return MISSING;
    current = (current as Record<string, unknown>)[key];
  }
  return current === undefined || typeof current === 'function' ? MISSING : current;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
