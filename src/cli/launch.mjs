// Runs a command-line entry (main or bench) from an esbuild bundle: bundling
// hoists every module into one scope, as the browser build does, so the
// engine runs at the speed users get (about a third faster than transpiling
// each module on the fly, whose imports become getter calls in the hot loop).
// The bundle is built once and kept under the content hash of the sources it
// was built from. A start compares the sources' sizes and modification times
// with those recorded at the build, and hashes the files only when one differs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../', import.meta.url).pathname;
const [entry, ...args] = process.argv.slice(2);
if (entry !== 'main' && entry !== 'bench') {
	console.error('usage: node src/cli/launch.mjs main|bench [arguments]');
	process.exit(2);
}
// Inside node_modules, so the bundle's imports of packages resolve.
const cache = join(root, 'node_modules/.cache/lifecycle-lab-cli');
const manifestPath = join(cache, 'current.json');
mkdirSync(cache, { recursive: true });

/** The files whose contents decide a bundle: its own sources, the launcher, and the lockfile, which pins the packages' files. */
function decidingFiles(inputs) {
	return [...inputs.filter((path) => !path.startsWith('node_modules/')), 'src/cli/launch.mjs', 'package-lock.json'];
}

/** One hash over the files a bundle was built from (paths relative to the project). */
function hashSources(inputs) {
	const hash = createHash('sha256');
	for (const path of decidingFiles(inputs)) {
		hash.update(path).update('\0');
		try {
			hash.update(readFileSync(join(root, path)));
		} catch {
			hash.update('missing'); // a deleted source: never matches a build that had it
		}
		hash.update('\0');
	}
	return hash.digest('hex').slice(0, 16);
}

/** Size and modification time of each deciding file: a stat costs a tenth of reading and hashing it. */
function stamps(inputs) {
	return decidingFiles(inputs).map((path) => {
		try {
			const { size, mtimeMs } = statSync(join(root, path));
			return `${size}:${mtimeMs}`;
		} catch {
			return 'missing';
		}
	});
}

const sameStamps = (a, b) => Array.isArray(a) && a.length === b.length && a.every((stamp, i) => stamp === b[i]);

/** The folder of a bundle built from the sources as they are now, or null. */
function currentBundle() {
	try {
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
		const dir = join(cache, `bundle-${manifest.hash}`);
		if (!existsSync(join(dir, `${entry}.mjs`))) return null;
		const now = stamps(manifest.inputs);
		if (sameStamps(manifest.stamps, now)) return dir;
		// Touched but perhaps not changed (a checkout, a save without edits): the contents decide.
		if (hashSources(manifest.inputs) !== manifest.hash) return null;
		writeManifest({ ...manifest, stamps: now });
		return dir;
	} catch {
		return null; // no build yet, or a manifest cut short by a killed build
	}
}

/** Builds the bundle into a folder of its own, then moves it into place: two starts at once never see half a bundle. */
async function buildBundle() {
	const { build } = await import('esbuild');
	const outdir = mkdtempSync(join(cache, 'building-'));
	try {
		const result = await build({
			absWorkingDir: root,
			entryPoints: { main: 'src/cli/main.ts', bench: 'src/cli/bench.ts', nodeWorker: 'src/lib/workers/nodeWorker.ts' },
			bundle: true,
			splitting: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			outdir,
			outExtension: { '.js': '.mjs' },
			// Packages bundled and the whole minified: a start parses one small file instead of resolving hundreds.
			minify: true,
			external: ['playwright-core'], // the notebook benchmark's browser driver: large, and only that benchmark loads it
			metafile: true,
			logLevel: 'error'
		});
		const inputs = Object.keys(result.metafile.inputs).sort();
		const hash = hashSources(inputs);
		const dir = join(cache, `bundle-${hash}`);
		if (existsSync(dir)) rmSync(outdir, { recursive: true, force: true });
		else renameSync(outdir, dir);
		writeManifest({ hash, inputs, stamps: stamps(inputs) });
		removeOldBundles(dir);
		return dir;
	} catch (error) {
		rmSync(outdir, { recursive: true, force: true });
		throw error;
	}
}

/** Written beside and renamed into place, so a start never reads half a manifest. */
function writeManifest(manifest) {
	const path = join(cache, `current-${process.pid}.json`);
	writeFileSync(path, JSON.stringify(manifest));
	renameSync(path, manifestPath);
}

/** Bundles of older sources go once they are a day old (a run may still be using a recent one). */
function removeOldBundles(keep) {
	for (const name of readdirSync(cache)) {
		const path = join(cache, name);
		if (path === keep || !(name.startsWith('bundle-') || name.startsWith('building-'))) continue;
		if (Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
	}
}

const dir = currentBundle() ?? (await buildBundle());
process.argv = [process.argv[0], join(dir, `${entry}.mjs`), ...args];
// The bundle lives elsewhere: tell it where the project's own files (scenarios/) are.
process.env.LIFECYCLE_LAB_ROOT = root;
await import(pathToFileURL(join(dir, `${entry}.mjs`)).href);
