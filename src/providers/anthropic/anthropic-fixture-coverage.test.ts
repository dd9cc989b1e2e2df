import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anthropicRecordings } from './test-support/anthropic-fixtures.js';

const here = new URL('./', import.meta.url);

describe('fixture coverage', () => {
  it('every Anthropic recording is named by a test in this folder', () => {
    const sources = readdirSync(here)
      .filter((name) => name.endsWith('.test.ts') && name !== 'anthropic-fixture-coverage.test.ts')
      .map((name) => readFileSync(new URL(name, here), 'utf8'))
      .join('\n');
    const recordings = anthropicRecordings();
    expect(recordings.length).toBeGreaterThanOrEqual(30);
    expect(recordings.filter((path) => !sources.includes(path))).toEqual([]);
  });
});
