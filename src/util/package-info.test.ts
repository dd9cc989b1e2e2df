import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageInfo } from './package-info.js';

describe('packageInfo', () => {
  it("finds this package's root and version from the sources (the bundle finds it from dist/ the same way)", () => {
    const { root, version } = packageInfo();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    expect(pkg.name).toBe('switchboard-llm');
    expect(version).toBe(pkg.version);
    expect(readFileSync(join(root, 'fixtures', 'providers', 'SOURCES.md'), 'utf8').length).toBeGreaterThan(0);
  });
});
