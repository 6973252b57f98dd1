// Bundles the page (OpenLayers and web/src) into one script and one stylesheet, for the viewer's build.
// Usage: node web/build.mjs OUT_DIR
import { build } from 'esbuild';

const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: node web/build.mjs OUT_DIR');
  process.exit(2);
}

await build({
  entryPoints: { app: 'web/src/main.js' },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: 'es2020',
  outdir,
  logLevel: 'warning',
});
