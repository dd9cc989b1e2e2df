/**
 * Bounded metric labels for models: a configured model or route under its canonical name, `unknown` for
 * anything else (so clients sending random names cannot grow the label set).
 */
export class ModelLabels {
  private readonly byLowerName = new Map<string, string>();

  constructor(names: Iterable<string>) {
    for (const name of names) this.byLowerName.set(name.toLowerCase(), name);
  }

  /** The label of what answered, else of what was asked for. */
  of(answered: string | undefined, requested: string | undefined): string {
    if (answered != null) return this.byLowerName.get(answered.toLowerCase()) ?? answered;
    if (requested == null) return '-';
    return this.byLowerName.get(requested.toLowerCase()) ?? 'unknown';
  }
}
