// Runs a command-line entry (main or bench) from an esbuild bundle: bundling
// hoists every module into one scope, as the browser build does, so the
// engine runs at the speed users get (about a third faster than transpiling
// each module on the fly, whose imports become getter calls in the hot loop).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../', import.meta.url);
const [entry, ...args] = process.argv.slice(2);
if (entry !== 'main' && entry !== 'bench') {
	console.error('usage: node src/cli/launch.mjs main|bench [arguments]');
	process.exit(2);
}
// Inside node_modules, so the bundle's imports of packages resolve; one folder per run, so runs never clash.
const cache = join(root.pathname, 'node_modules/.cache');
mkdirSync(cache, { recursive: true });
// Bundles left by runs that were killed are removed once they are a day old.
for (const old of readdirSync(cache).filter((d) => d.startsWith('lifecycle-lab-cli-'))) {
	const path = join(cache, old);
	if (Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
}
const outdir = mkdtempSync(join(cache, 'lifecycle-lab-cli-'));
process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
await build({
	absWorkingDir: root.pathname,
	entryPoints: { main: 'src/cli/main.ts', bench: 'src/cli/bench.ts', nodeWorker: 'src/lib/workers/nodeWorker.ts' },
	bundle: true,
	splitting: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	outdir,
	outExtension: { '.js': '.mjs' },
	packages: 'external',
	logLevel: 'warning'
});
process.argv = [process.argv[0], join(outdir, `${entry}.mjs`), ...args];
// The bundle lives elsewhere: tell it where the project's own files (scenarios/) are.
process.env.LIFECYCLE_LAB_ROOT = root.pathname;
await import(pathToFileURL(join(outdir, `${entry}.mjs`)).href);
