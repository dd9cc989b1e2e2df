import type { OutStream } from './cli-io.js';

/** What the progress line shows. */
export interface ProgressState {
  /** Items finished (embedded lines). */
  done: number;
  /** Share of the input read, 0–1, when the input size is known. */
  fraction?: number;
  /** Items skipped so far. */
  skipped: number;
  /** What the items are called. @default 'lines' */
  unit?: string;
}

const BAR_WIDTH = 24;

/** One progress line: `[██████░░░░] 42%  1234 lines · 3 skipped` (no bar when the total is unknown). */
export function renderProgress(state: ProgressState): string {
  const unit = state.unit ?? 'lines';
  const counts = `${state.done} ${unit}${state.skipped > 0 ? ` · ${state.skipped} skipped` : ''}`;
  if (state.fraction == null) return counts;
  const fraction = Math.min(1, Math.max(0, state.fraction));
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  return `[${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${counts}`;
}

/**
 * A progress line redrawn in place on a terminal (at most every `intervalMs`), cleared when done. Disabled
 * (writes nothing) when the stream is not a TTY, so pipes and files never get control characters.
 */
export class ProgressBar {
  private last = 0;
  private shown = false;

  constructor(
    private readonly stream: OutStream,
    readonly enabled: boolean,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  update(state: ProgressState, force = false): void {
    if (!this.enabled) return;
    const now = this.now();
    if (!force && this.shown && now - this.last < this.intervalMs) return;
    this.last = now;
    this.shown = true;
    this.stream.write(`\r${renderProgress(state)}\x1b[K`);
  }

  /** Erases the line. */
  clear(): void {
    if (!this.enabled || !this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
