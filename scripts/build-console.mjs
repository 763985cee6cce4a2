// Builds the operator console (console/) into dist/console/{index.html,app.js,app.css}: one esbuild bundle of the
// Preact app, the stylesheet and the page, nothing fetched from elsewhere at run time. `npm run build` runs it
// after tsc; `node scripts/build-console.mjs [--watch]` alone rebuilds only the console.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'console');
const OUT = join(ROOT, 'dist', 'console');

const options = {
  entryPoints: { app: join(SOURCE, 'src', 'main.tsx') },
  outdir: OUT,
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

await mkdir(OUT, { recursive: true });
await Promise.all(['index.html', 'app.css'].map((file) => copyFile(join(SOURCE, file), join(OUT, file))));
if (process.argv.includes('--watch')) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log(`[console] watching console/ → ${OUT} (index.html and app.css are copied at start only)`);
} else {
  const result = await esbuild.build({ ...options, metafile: true });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`[console] built ${OUT} (${Math.round(bytes / 1024)} KiB with the source map)`);
}
