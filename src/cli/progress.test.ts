import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressBar, renderProgress } from './progress.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, chunks };
}

describe('renderProgress', () => {
  it('draws a bar with a percentage when the size is known, counts otherwise', () => {
    expect(renderProgress({ done: 120, skipped: 0, fraction: 0.5 })).toBe(
      `[${'█'.repeat(12)}${'░'.repeat(12)}]  50%  120 lines`,
    );
    expect(renderProgress({ done: 3, skipped: 2, fraction: 1.4 })).toBe(
      `[${'█'.repeat(24)}] 100%  3 lines · 2 skipped`,
    );
    expect(renderProgress({ done: 7, skipped: 0 })).toBe('7 lines');
  });
});

describe('ProgressBar', () => {
  it('redraws in place at most once per interval and clears the line', () => {
    const { stream, chunks } = sink();
    let now = 0;
    const bar = new ProgressBar(stream, true, 100, () => now);
    bar.update({ done: 1, skipped: 0 });
    now = 50;
    bar.update({ done: 2, skipped: 0 }); // throttled
    now = 150;
    bar.update({ done: 3, skipped: 0 });
    bar.update({ done: 4, skipped: 0 }, true); // forced
    bar.clear();
    expect(chunks).toEqual(['\r1 lines\x1b[K', '\r3 lines\x1b[K', '\r4 lines\x1b[K', '\r\x1b[K']);
  });

  it('writes nothing when disabled (not a terminal)', () => {
    const { stream, chunks } = sink();
    const bar = new ProgressBar(stream, false);
    bar.update({ done: 1, skipped: 0 }, true);
    bar.clear();
    expect(chunks).toEqual([]);
  });
});
