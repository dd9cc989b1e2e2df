/**
 * A definition's headers with the configured ones over them: a configured header replaces the
 * definition's header of the same name whatever its case (`x-title` replaces `X-Title`).
 */
export function mergeHeaders(
  defaults: Readonly<Record<string, string>> | undefined,
  configured: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (defaults != null) {
    const overridden = new Set(Object.keys(configured).map((name) => name.toLowerCase()));
    for (const [name, value] of Object.entries(defaults)) {
      if (!overridden.has(name.toLowerCase())) out[name] = value;
    }
  }
  return Object.assign(out, configured);
}
