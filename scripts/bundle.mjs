// The second half of `npm run build`: bundles tsc's JavaScript in dist/ into the published entry points, in
// place. tsc has written dist/**/*.js and dist/**/*.d.ts; this replaces the ~230 JavaScript files with the
// three entry points of package.json (index.js, testing/index.js, cli/main.js) and the chunks they share or
// import lazily (dist/chunks/). The declarations stay as tsc wrote them.
//
// Why: Node 20 compiles every ES module separately and has no compile cache for them, so start-up was
// mostly resolving, reading and compiling ~320 small files (the library's and zod's). zod is bundled too —
// a private copy, tree-shaken, without its 60 locale files — and the library's runtime never imports the
// zod package (users' schemas are read through their `_zod` internals, which is what `zod/v4/core` is for).
// Every other dependency stays external and is imported lazily where it was before (undici, yaml, ...).
//
// dist/build-manifest.json (not published) lists the source modules in each file, for the start-up tests.
//
//   node scripts/bundle.mjs
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const staging = join(root, 'dist.bundle');

/** Entry points: package.json `exports` and `bin`. */
const ENTRIES = { index: 'index.js', 'testing/index': 'testing/index.js', 'cli/main': 'cli/main.js' };

const isBundled = (id) => id === 'zod' || id.startsWith('zod/');
const isRelative = (id) => id.startsWith('.') || id.startsWith('/') || id.startsWith('\0');

/** A module id in the manifest: `src/x/y.ts` for the library's, `zod/...` for zod's. */
function sourceOf(id) {
  const path = relative(root, id).split(sep).join('/');
  if (path.startsWith('dist/')) return `src/${path.slice('dist/'.length).replace(/\.js$/, '.ts')}`;
  const inZod = path.indexOf('node_modules/zod/');
  return inZod >= 0 ? `zod/${path.slice(inZod + 'node_modules/zod/'.length)}` : path;
}

/**
 * zod re-exports its 60 translations as the `locales` namespace, and a namespace used as a value (`z.object`
 * across chunks) keeps every member: 340 kB nobody here reads. The English messages zod uses by default
 * are imported by its schemas directly and stay.
 */
const zodWithoutLocales = {
  name: 'zod-without-locales',
  resolveId(id, importer) {
    if (id === '../locales/index.js' && importer?.includes(`${sep}node_modules${sep}zod${sep}`))
      return '\0zod-locales';
    return null;
  },
  load(id) {
    return id === '\0zod-locales' ? 'export {};' : null;
  },
};

rmSync(staging, { recursive: true, force: true });
const build = await rolldown({
  input: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(dist, file)])),
  platform: 'node',
  // The test kit builds its cases' schemas with the zod package, as its users do: importing the whole
  // namespace of the bundled copy would keep every part of zod in the chunk that start-up loads.
  external: (id, importer) =>
    !isRelative(id) && (!isBundled(id) || (importer?.startsWith(join(dist, 'testing', sep)) ?? false)),
  logLevel: 'warn',
  plugins: [zodWithoutLocales],
});
const { output } = await build.write({
  dir: staging,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  sourcemap: false,
  // The doc comments are in the declarations, where editors read them; here they would only be parsed.
  comments: { legal: true, annotation: true, jsdoc: false },
});
await build.close();

// Replace tsc's JavaScript with the bundle; keep its declarations.
const removeJs = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeJs(path);
    else if (entry.name.endsWith('.js')) rmSync(path);
  }
};
removeJs(dist);
const manifest = {};
for (const chunk of output) {
  if (chunk.type !== 'chunk') continue;
  const target = join(dist, chunk.fileName);
  mkdirSync(join(target, '..'), { recursive: true });
  renameSync(join(staging, chunk.fileName), target);
  manifest[chunk.fileName] = chunk.moduleIds.filter((id) => !id.startsWith('\0')).map(sourceOf);
}
rmSync(staging, { recursive: true, force: true });
chmodSync(join(dist, 'cli/main.js'), 0o755);
writeFileSync(join(dist, 'build-manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
const files = Object.keys(manifest);
console.log(`bundled ${Object.values(manifest).flat().length} modules into ${files.length} files in dist/`);
