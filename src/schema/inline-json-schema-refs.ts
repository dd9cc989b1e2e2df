import { LLMError } from '../errors/llm-error.js';
import type { JsonSchema } from '../spec/index.js';
import { copyPlain, isPlainObject, setOwn } from './copy-plain.js';

/** Options of `inlineJsonSchemaRefs`. */
export interface InlineRefsOptions {
  /**
   * What to do with a recursive `$ref` (one reached again while it is being inlined):
   * - `'throw'`: `LLMError('INVALID_PARAMETER')` naming the definition (most providers reject `$ref`, and
   *   an unrolled recursive schema would be infinite).
   * - `'keep'`: keep only those refs, pointing at `#/$defs/<name>` (a self-reference to the root stays `#`),
   *   and emit the definitions they need under the root `$defs`; everything else is inlined. For providers
   *   that accept recursive schemas (OpenAI strict mode, Gemini `responseJsonSchema`).
   * @default 'throw'
   */
  cycles?: 'throw' | 'keep';
  /** Most schema nodes the result may have (inlining a heavily shared schema grows it). @default 100_000 */
  maxNodes?: number;
}

/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas']);
/** Keywords whose value is one schema. */
const SCHEMA_SINGLE = new Set([
  'additionalProperties',
  'additionalItems',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
]);
/** Keywords whose value is an array of schemas. */
const SCHEMA_ARRAYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords that only annotate: next to a `$ref` they override the target's. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
]);

/**
 * Returns a deep copy of `schema` with every local `$ref` (`#/$defs/X`, `#/definitions/X`, any JSON pointer
 * such as `#/properties/a`, `#` for the root) replaced by the schema it points to, recursively, and every
 * `$defs`/`definitions` dropped. Keywords next to a `$ref` are kept: annotations (`description`, `title`, …)
 * override the target's, other keywords are combined with it through `allOf` when they clash.
 *
 * Only schema positions are walked: a `"$ref"` inside `default`, `enum`, `const` or `examples` is data and
 * stays as is. Refs are resolved against the document root (`$id` and `$anchor` are not followed).
 *
 * @throws LLMError `INVALID_PARAMETER` for an unresolvable or external ref (naming it), a recursive ref with
 *   `cycles: 'throw'` (naming the definition), or a result larger than `maxNodes`.
 * @example inlineJsonSchemaRefs({ properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'string' } } })
 *   // → { properties: { a: { type: 'string' } } }
 */
export function inlineJsonSchemaRefs(schema: JsonSchema, options: InlineRefsOptions = {}): JsonSchema {
  if (!isPlainObject(schema)) {
    throw new LLMError('INVALID_PARAMETER', 'schema: must be a JSON Schema object', {
      details: { path: 'schema' },
    });
  }
  return new Inliner(schema, options).run();
}

class Inliner {
  private readonly cycles: 'throw' | 'keep';
  private readonly maxNodes: number;
  private nodes = 0;
  /** Pointers being inlined, outermost first (a pointer met again is a cycle); the root always is. */
  private readonly stack: string[] = ['#'];
  /** `cycles: 'keep'`: pointer → name under the output `$defs`. */
  private readonly kept = new Map<string, string>();
  private readonly keptNames = new Set<string>();

  constructor(
    private readonly root: JsonSchema,
    options: InlineRefsOptions,
  ) {
    this.cycles = options.cycles ?? 'throw';
    this.maxNodes = options.maxNodes ?? 100_000;
  }

  run(): JsonSchema {
    const out = this.walk(this.root, 'schema') as JsonSchema;
    if (this.kept.size === 0) return out;
    const defs: Record<string, unknown> = {};
    // Map iteration also visits the entries added while definitions are walked.
    for (const [pointer, name] of this.kept) {
      this.stack.push(pointer);
      setOwn(defs, name, this.walk(this.lookup(pointer), pointerPath(pointer)));
      this.stack.pop();
    }
    return isPlainObject(out) ? { ...out, $defs: defs } : { allOf: [out], $defs: defs };
  }

  private walk(node: unknown, path: string): unknown {
    if (!isPlainObject(node)) return copyPlain(node);
    if (++this.nodes > this.maxNodes) {
      throw new LLMError(
        'INVALID_PARAMETER',
        `${path}: schema too large after inlining $refs (more than ${this.maxNodes} nodes)`,
        { details: { path, maxNodes: this.maxNodes } },
      );
    }
    const ref = node.$ref;
    if (typeof ref === 'string') return this.expandRef(node, ref, path);
    return this.walkKeywords(node, path);
  }

  /** Copies `node`'s keywords (all but `$ref`, `$defs`, `definitions`), walking the schema-valued ones. */
  private walkKeywords(node: Record<string, unknown>, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      if (key === '$ref' || key === '$defs' || key === 'definitions') continue;
      const value = node[key];
      const at = `${path}.${key}`;
      let copy: unknown;
      if (SCHEMA_MAPS.has(key) && isPlainObject(value)) {
        copy = this.walkMap(value, at, false);
      } else if (key === 'dependencies' && isPlainObject(value)) {
        copy = this.walkMap(value, at, true);
      } else if (SCHEMA_SINGLE.has(key)) {
        copy = this.walk(value, at);
      } else if (SCHEMA_ARRAYS.has(key) || key === 'items') {
        copy = Array.isArray(value)
          ? value.map((item, i) => this.walk(item, `${at}[${i}]`))
          : this.walk(value, at);
      } else {
        copy = copyPlain(value);
      }
      setOwn(out, key, copy);
    }
    return out;
  }

  private walkMap(
    map: Record<string, unknown>,
    path: string,
    arraysAreData: boolean,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(map)) {
      const value = map[name];
      setOwn(
        out,
        name,
        arraysAreData && Array.isArray(value) ? copyPlain(value) : this.walk(value, `${path}.${name}`),
      );
    }
    return out;
  }

  private expandRef(node: Record<string, unknown>, ref: string, path: string): unknown {
    const pointer = normalizeRef(ref);
    const target = pointer === undefined ? undefined : this.lookup(pointer);
    if (pointer === undefined || target === undefined) {
      throw new LLMError('INVALID_PARAMETER', `${path}: unresolvable $ref '${ref}'`, {
        details: { path, ref },
      });
    }
    const siblings = this.walkKeywords(node, path);
    if (this.stack.includes(pointer)) {
      const definition = definitionName(pointer);
      if (this.cycles === 'throw') {
        throw new LLMError(
          'INVALID_PARAMETER',
          `${path}: recursive $ref '${ref}' (definition '${definition}') cannot be inlined; ` +
            "make the schema non-recursive or keep recursive refs with { cycles: 'keep' }",
          { details: { path, ref, definition } },
        );
      }
      const kept = pointer === '#' ? '#' : `#/$defs/${escapePointerSegment(this.keepName(pointer))}`;
      return mergeSiblings({ $ref: kept }, siblings);
    }
    this.stack.push(pointer);
    const resolved = this.walk(target, pointerPath(pointer));
    this.stack.pop();
    return mergeSiblings(resolved, siblings);
  }

  private keepName(pointer: string): string {
    const existing = this.kept.get(pointer);
    if (existing !== undefined) return existing;
    const base = definitionName(pointer).replace(/[^\w.-]/g, '_') || 'def';
    let name = base;
    for (let n = 2; this.keptNames.has(name); n++) name = `${base}_${n}`;
    this.kept.set(pointer, name);
    this.keptNames.add(name);
    return name;
  }

  /** Resolves a normalised pointer (`#` or `#/a/b`) against the root; `undefined` when it leads nowhere. */
  lookup(pointer: string): unknown {
    if (pointer === '#') return this.root;
    let current: unknown = this.root;
    for (const raw of pointer.slice(2).split('/')) {
      const segment = unescapePointerSegment(raw);
      if (Array.isArray(current)) {
        if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
        current = current[Number(segment)];
      } else if (isPlainObject(current) && Object.hasOwn(current, segment)) {
        current = current[segment];
      } else {
        return undefined;
      }
      if (current === undefined) return undefined;
    }
    return current;
  }
}

/** Adds the keywords found next to a `$ref` to the schema it resolved to. */
function mergeSiblings(resolved: unknown, siblings: Record<string, unknown>): unknown {
  const keys = Object.keys(siblings);
  if (keys.length === 0) return resolved;
  if (!isPlainObject(resolved)) return { allOf: [resolved], ...siblings };
  const clash = keys.some((key) => !ANNOTATIONS.has(key) && Object.hasOwn(resolved, key));
  const out: Record<string, unknown> = clash ? {} : { ...resolved };
  const rest: Record<string, unknown> = {};
  for (const key of keys) {
    if (!clash || ANNOTATIONS.has(key)) setOwn(out, key, siblings[key]);
    else setOwn(rest, key, siblings[key]);
  }
  if (clash) out.allOf = [resolved, rest];
  return out;
}

/** `#/$defs/A%20B` → `#/$defs/A B`; `undefined` for external refs, anchors and malformed escapes. */
function normalizeRef(ref: string): string | undefined {
  if (!ref.startsWith('#')) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment === '') return '#';
  return fragment.startsWith('/') ? `#${fragment}` : undefined;
}

function definitionName(pointer: string): string {
  if (pointer === '#') return 'the root schema';
  const last = pointer.slice(pointer.lastIndexOf('/') + 1);
  return unescapePointerSegment(last);
}

/** `#/$defs/A` → `schema.$defs.A` (the path shown in errors for nodes reached through a ref). */
function pointerPath(pointer: string): string {
  if (pointer === '#') return 'schema';
  return `schema${pointer.slice(1).split('/').map(unescapePointerSegment).join('.')}`;
}

function unescapePointerSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
