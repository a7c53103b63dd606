/**
 * The end-to-end calibration benchmark (`npm run bench -- --calibration
 * --end-to-end`): the million-row log (the CDNOW sample 145 times with fresh
 * customer ids, written once to a file) fitted with BG/NBD as a user does it,
 * timed in wall-clock seconds from start to answer:
 * - the CLI: `calibrate FILE --calibration-end 1997-09-30 --holdout-end
 *   1998-06-30` in its own process (its CPU seconds too, from the shell's
 *   `time`), the parameters read from its report;
 * - the browser: the built app in headless Chromium, the file imported through
 *   a calibration cell (read in the calibration worker, kept in IndexedDB,
 *   fitted in the worker with the cell's default dates, which are the same),
 *   from the Import click to the fitted r on screen, with the CPU seconds of
 *   all Chromium's processes meanwhile (from /proc); the parameters read
 *   exactly from the scenario the cell makes of them.
 * The machine's load average is printed with each figure: on a shared machine
 * wall-clock seconds measure the neighbours too.
 *   npm run bench -- --calibration --end-to-end [--runs N] [--json]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { bigLogParts } from './benchCalibration';
import { startPreview } from './previewServer';

const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
const vite = join(root, 'node_modules/.bin/vite');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Its own port (plus the checkout's offset), so it never meets the notebook benchmark's or a test's server. */
const PORT = 4320 + Number(process.env.LIFECYCLE_LAB_PORT_OFFSET ?? 0);
const DATES = ['--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'];
const NAMES = ['r', 'alpha', 'a', 'b'] as const;
type Params = Record<(typeof NAMES)[number], number>;

interface Run {
	seconds: number;
	/** The one-minute load average when the run started and when it ended. */
	load: [number, number];
	params: Params;
}

/** The million-row log as a file, written once (the same bytes every time: no randomness in it). */
function logFile(): { path: string; rows: number; bytes: number } {
	const dir = join(tmpdir(), 'lifecycle-lab-bench');
	mkdirSync(dir, { recursive: true });
	const path = join(dir, 'cdnow-x145.csv');
	const { parts, rows } = bigLogParts(145);
	const bytes = parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
	if (!existsSync(path) || statSync(path).size !== bytes) writeFileSync(path, parts.join(''));
	return { path, rows, bytes };
}

const load = () => loadavg()[0];

/** CPU seconds (user + system) so far of every process descended from this one, by pid: Chromium's processes, read from /proc (Linux). */
function descendantsCpu(): Map<number, number> {
	const ticks = 100; // USER_HZ on Linux
	const stats = new Map<number, { parent: number; cpu: number }>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			// Fields after the command name (which may hold spaces), from the state on: ppid is the 2nd, utime the 12th, stime the 13th.
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			stats.set(Number(name), { parent: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticks });
		} catch {
			// the process ended meanwhile
		}
	}
	const mine = new Map<number, number>();
	const isMine = (pid: number): boolean => {
		for (let p = stats.get(pid)?.parent; p !== undefined && p > 1; p = stats.get(p)?.parent) if (p === process.pid) return true;
		return false;
	};
	for (const [pid, { cpu }] of stats) if (isMine(pid)) mine.set(pid, cpu);
	return mine;
}

/** CPU seconds the descendants spent between two readings (a process new since the first counts from 0). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
	let total = 0;
	for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
	return total;
}

/** One `calibrate` in its own process, timed by the shell (wall, user and system seconds). */
async function cliRun(path: string): Promise<Run & { cpuSeconds: number }> {
	const before = load();
	const command = `TIMEFORMAT='%R %U %S'; time node src/cli/launch.mjs main calibrate "$1" ${DATES.join(' ')}`;
	const { stdout, stderr } = await promisify(execFile)('bash', ['-c', command, 'bash', path], { cwd: root, maxBuffer: 256 << 20 });
	const [wall, user, system] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
	const report = JSON.parse(stdout);
	return { seconds: wall, cpuSeconds: user + system, load: [before, load()], params: Object.fromEntries(NAMES.map((k) => [k, report.params[k]])) as Params };
}

/** One import and fit through a calibration cell in a fresh browser context. */
async function browserRun(browser: Browser, url: string, path: string): Promise<Run & { readSeconds: number; cpuSeconds: number }> {
	const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
	try {
		const page = await context.newPage();
		await page.goto(`${url}notebook?new=1`);
		await page.getByRole('button', { name: 'Run all' }).waitFor({ timeout: 60_000 });
		await page.waitForURL(/notebook\?id=nb-/);
		const addBar = page.getByRole('group', { name: 'Add a cell here' }).last();
		await addBar.getByRole('button', { name: 'Add a cell here' }).click();
		await addBar.getByRole('button', { name: 'Calibration' }).click();
		const cell = page.locator('section.calibration');
		await cell.getByLabel('Choose a transaction log CSV file').setInputFiles(path);
		for (let i = 0; i < 600 && (await cell.getByLabel('Amount', { exact: true }).inputValue()) !== 'amount'; i++) await page.waitForTimeout(50);
		await page.waitForTimeout(1_000); // the page settled: its CPU from here on is the import's and the fit's
		const before = load();
		const cpuBefore = descendantsCpu();
		const start = Date.now();
		await cell.getByRole('button', { name: 'Import' }).click();
		await cell.getByText(/purchases of [\d,]+ customers/).waitFor({ timeout: 600_000 });
		const readSeconds = (Date.now() - start) / 1000;
		const r = cell.locator('table.params tr').filter({ has: page.getByRole('rowheader', { name: 'r', exact: true }) }).locator('td').first();
		await r.waitFor({ timeout: 600_000 });
		const seconds = (Date.now() - start) / 1000;
		const cpuSeconds = cpuBetween(cpuBefore, descendantsCpu());
		const after = load();
		if ((await cell.getByLabel('Calibration ends').inputValue()) !== '1997-09-30' || (await cell.getByLabel('Holdout ends').inputValue()) !== '1998-06-30') throw new Error('the cell chose other dates than the CLI was given');
		// The exact values: from the scenario the cell makes of the fit, as stored with the notebook.
		await cell.getByRole('button', { name: 'Add a scenario cell with these values' }).click();
		await page.locator('section.scenario').nth(1).waitFor();
		await page.waitForTimeout(1_500); // saved within a second
		const segment = await page.evaluate(
			() =>
				new Promise<{ purchaseRate: { r: number; alphaDays: number }; dropout: { a: number; b: number } }>((resolve, reject) => {
					const open = indexedDB.open('lifecycle-lab');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const all = open.result.transaction('notebooks').objectStore('notebooks').getAll();
						all.onerror = () => reject(all.error);
						all.onsuccess = () => {
							const cells = all.result.flatMap((n: { cells: { kind: string; scenario?: { name?: string; segments: unknown[] } }[] }) => n.cells);
							const scenario = cells.find((c: { kind: string; scenario?: { name?: string } }) => c.kind === 'scenario' && c.scenario?.name === 'calibrated');
							if (!scenario) reject(new Error('no calibrated scenario stored'));
							else resolve(scenario.scenario!.segments[0] as never);
						};
					};
				})
		);
		const params = { r: segment.purchaseRate.r, alpha: segment.purchaseRate.alphaDays / 7, a: segment.dropout.a, b: segment.dropout.b };
		return { seconds, readSeconds, cpuSeconds, load: [before, after], params };
	} finally {
		await context.close();
	}
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const show = (p: Params) => NAMES.map((k) => `${k} = ${p[k].toPrecision(7)}`).join(', ');
/** The largest relative difference between two sets of parameters. */
const largestDifference = (p: Params, q: Params) => Math.max(...NAMES.map((k) => Math.abs(p[k] / q[k] - 1)));

/** Times the CLI and the browser's calibration worker on the million-row log, `runs` times each, and prints both. */
export async function benchCalibrationEndToEnd(runs: number, json: boolean): Promise<void> {
	const file = logFile();
	console.error(`log: ${file.path} (${file.rows.toLocaleString('en')} rows, ${(file.bytes / 2 ** 20).toFixed(1)} MB)`);
	await promisify(execFile)('node', ['src/cli/launch.mjs', 'main', '--help'], { cwd: root }); // the CLI's bundle built once, outside the timing
	const cli = [];
	for (let i = 0; i < runs; i++) {
		console.error(`CLI run ${i + 1} of ${runs}…`);
		cli.push(await cliRun(file.path));
	}
	console.error('building the app…');
	await promisify(execFile)(vite, ['build', '--logLevel', 'error'], { cwd: root, maxBuffer: 16 << 20 });
	const server = await startPreview(root, PORT);
	let browser: Browser | null = null;
	const inBrowser = [];
	try {
		const url = server.url;
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		});
		for (let i = 0; i < runs; i++) {
			console.error(`browser run ${i + 1} of ${runs}…`);
			inBrowser.push(await browserRun(browser, url, file.path));
		}
	} finally {
		await browser?.close();
		await server.stop();
	}
	const result = {
		rows: file.rows,
		fileBytes: file.bytes,
		cli: { medianSeconds: median(cli.map((r) => r.seconds)), medianCpuSeconds: median(cli.map((r) => r.cpuSeconds)), runs: cli },
		browser: { medianSeconds: median(inBrowser.map((r) => r.seconds)), medianCpuSeconds: median(inBrowser.map((r) => r.cpuSeconds)), medianReadSeconds: median(inBrowser.map((r) => r.readSeconds)), runs: inBrowser },
		largestRelativeDifference: largestDifference(inBrowser[0].params, cli[0].params)
	};
	if (json) return void console.log(JSON.stringify(result, null, 2));
	console.log(`Calibration end to end: ${file.rows.toLocaleString('en')} rows (${(file.bytes / 2 ** 20).toFixed(1)} MB), BG/NBD and Gamma-Gamma, calibration to 1997-09-30, holdout to 1998-06-30`);
	const fmtLoad = (l: [number, number]) => `load ${l[0].toFixed(1)} → ${l[1].toFixed(1)}`;
	for (const r of cli) console.log(`CLI calibrate:     ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU (${fmtLoad(r.load)})`);
	for (const r of inBrowser) console.log(`browser (cell):    ${r.seconds.toFixed(2)} s from Import to the fit on screen (read and stored in ${r.readSeconds.toFixed(2)} s), ${r.cpuSeconds.toFixed(2)} s CPU in Chromium's processes (${fmtLoad(r.load)})`);
	console.log(`median: CLI ${result.cli.medianSeconds.toFixed(2)} s (${result.cli.medianCpuSeconds.toFixed(2)} s CPU), browser ${result.browser.medianSeconds.toFixed(2)} s (${result.browser.medianCpuSeconds.toFixed(2)} s CPU)`);
	console.log(`CLI:     ${show(cli[0].params)}`);
	console.log(`browser: ${show(inBrowser[0].params)} (largest relative difference ${result.largestRelativeDifference.toExponential(1)})`);
}
