// Builds the package into dist/: the server and the `trent` command bundled by esbuild (one file to load per
// entry, which is what makes start-up fast; better-sqlite3, a native addon, stays in node_modules), and the
// declarations of the `trent` module: tsc emits public-types.ts, which imports nothing, and index.d.ts adds
// startTrent, typed by it as embedded.ts is. Run by `npm install` (prepare) and before `npm test`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  define: { __TRENT_VERSION__: JSON.stringify(version) },
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __trentCreateRequire } from 'node:module'; const require = __trentCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
chmodSync(`${root}dist/main.js`, 0o755);

const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
writeFileSync(
  `${root}dist/index.d.ts`,
  "export type * from './types/public-types.js';\nimport type { StartTrent } from './types/public-types.js';\nexport declare const startTrent: StartTrent;\n",
);
