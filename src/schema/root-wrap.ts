import type { JsonSchema } from '../spec/index.js';

/** Key a non-object answer is wrapped in where the wire needs an object root (strict schemas, tool arguments). */
export const ROOT_KEY = 'value';

/** A schema whose root is a plain object (no `anyOf`/`oneOf` at the root). */
export function isObjectRoot(schema: JsonSchema): boolean {
  return schema.type === 'object' && schema.anyOf == null && schema.oneOf == null;
}

/** `{ type: 'object', properties: { value: schema }, required: ['value'] }` */
export function wrapRoot(schema: JsonSchema): JsonSchema {
  return { type: 'object', properties: { [ROOT_KEY]: schema }, required: [ROOT_KEY] };
}
