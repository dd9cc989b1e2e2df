import { isRecord } from '../util/safe-json.js';

/**
 * Optional paths: where a strict JSON Schema made optional properties required-and-nullable, so the
 * answer carries `null` for "absent". A path is a JSON Pointer (`/address/street`) whose `*` segment
 * stands for every array item (`/items/*\/note`); `~0` `~1` `~2` escape `~` `/` `*` in property names.
 * Native structured output (`StructuredOutputSupport.native`) and strict tools report them;
 * `restoreOptionalFields` turns the `null`s back into absent properties.
 */

/** Escapes a property name for an optional path: `~` `/` `*` → `~0` `~1` `~2`. */
export function escapePathSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1').replace(/\*/g, '~2');
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~2/g, '*').replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Turns the `null`s a strict answer carries for optional properties back into absent properties, in
 * place (the value is freshly parsed model output). Returns `value`.
 */
export function restoreOptionalFields<T>(value: T, optionalPaths: readonly string[]): T {
  for (const path of optionalPaths) {
    const segments = path.split('/').slice(1);
    removeNull(value, segments, 0);
  }
  return value;
}

function removeNull(node: unknown, segments: string[], index: number): void {
  const segment = segments[index];
  if (segment === undefined) return;
  if (segment === '*') {
    if (Array.isArray(node)) for (const item of node) removeNull(item, segments, index + 1);
    return;
  }
  if (!isRecord(node)) return;
  const name = unescapeSegment(segment);
  if (index === segments.length - 1) {
    if (node[name] === null) delete node[name];
    return;
  }
  removeNull(node[name], segments, index + 1);
}
