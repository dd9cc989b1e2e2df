import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const here = new URL('./', import.meta.url);
const fixtures = (folder: string) =>
  readdirSync(new URL(`../../../fixtures/providers/${folder}/`, import.meta.url)).map(
    (name) => `${folder}/${name}`,
  );

describe('fixture coverage', () => {
  it('every Gemini and Vertex recording is named by a test in this folder', () => {
    const sources = readdirSync(here)
      .filter((name) => name.endsWith('.test.ts') && name !== 'gemini-fixture-coverage.test.ts')
      .map((name) => readFileSync(new URL(name, here), 'utf8'))
      .join('\n');
    const untested = [...fixtures('gemini'), ...fixtures('vertex')].filter(
      (path) => !sources.includes(path.slice(path.indexOf('/') + 1)),
    );
    expect(untested).toEqual([]);
  });
});
