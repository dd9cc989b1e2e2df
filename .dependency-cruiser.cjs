// The layer table of docs/ARCHITECTURE.md, enforced by `npm run depcheck` (part of `npm test`).
// A module may import from its own layer and the layers before it, never from a later one. Type-only
// imports count too: types a lower layer needs belong in `src/spec/`.
// Tests (`*.test.ts`, `test-support/`) may import anything; sources never import tests.

/** Layers, first to last. Each is a list of path patterns (relative to the repository root). */
const LAYERS = [
  { name: 'spec', paths: ['^src/spec/'] },
  { name: 'base', paths: ['^src/util/', '^src/errors/', '^src/logging/secrets\\.ts$'] },
  { name: 'schema+generation', paths: ['^src/schema/', '^src/generation/'] },
  { name: 'http', paths: ['^src/http/'] },
  { name: 'providers', paths: ['^src/providers/'] },
  { name: 'config+models', paths: ['^src/config/', '^src/models/'] },
  { name: 'logging+keys+pipeline', paths: ['^src/logging/(?!secrets\\.ts$)', '^src/keys/', '^src/pipeline/'] },
  { name: 'routes', paths: ['^src/routes/'] },
  { name: 'telemetry', paths: ['^src/telemetry/'] },
  { name: 'client+tools+structured+session', paths: ['^src/client/', '^src/tools/', '^src/structured/', '^src/session/'] },
  { name: 'gateway', paths: ['^src/gateway/'] },
  { name: 'cli+testing', paths: ['^src/cli/', '^src/testing/'] },
];

const TESTS = '(\\.test\\.ts$|/test-support/)';
const either = (paths) => `(${paths.join('|')})`;

const layerRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer.name}`,
  severity: 'error',
  comment: `${layer.name} may not import from later layers (${LAYERS.slice(index + 1)
    .map((later) => later.name)
    .join(', ')}); see docs/ARCHITECTURE.md`,
  from: { path: either(layer.paths), pathNot: TESTS },
  to: { path: either(LAYERS.slice(index + 1).flatMap((later) => later.paths)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'spec-is-types-only',
      severity: 'error',
      comment: 'src/spec holds types only and imports nothing outside itself',
      from: { path: '^src/spec/' },
      to: { pathNot: '^src/spec/' },
    },
    {
      name: 'no-tests-in-sources',
      severity: 'error',
      comment: 'sources never import tests or test support',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: TESTS },
    },
    {
      name: 'every-source-in-a-layer',
      severity: 'error',
      comment: 'a new top-level folder of src/ needs a place in the layer table (this file and docs/ARCHITECTURE.md)',
      from: {
        path: '^src/',
        pathNot: [TESTS, '^src/index\\.ts$', '^src/test-support/', ...LAYERS.flatMap((layer) => layer.paths)],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
