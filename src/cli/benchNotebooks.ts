/**
 * The notebook benchmark: every example notebook in scenarios/notebooks/,
 * "Run all" in headless Chromium on the built app, as a user would press it.
 * For each: seconds from the press to "Run all finished", and the main
 * thread's long tasks meanwhile (a
 * PerformanceObserver armed before the app loads). Results are computed,
 * not read from the shipped results: every experiment's seed is changed
 * first (the same work, other random numbers), as a user's edit would, and
 * Run all pressed within the edit's re-run pause. Also timed: opening the
 * example until its first chart shows (from the shipped results).
 *   npm run bench -- --notebooks [--json]
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
const vite = join(root, 'node_modules/.bin/vite');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = 4310;

export interface NotebookTiming {
	id: string;
	cells: number;
	openSeconds: number | null;
	runAllSeconds: number;
	longTasks: number;
	longestTaskMs: number;
}

/** Builds the app, serves it, runs every example and prints the table (or JSON). */
export async function benchNotebooks(json: boolean): Promise<void> {
	console.error('building the app…');
	await promisify(execFile)(vite, ['build', '--logLevel', 'error'], { cwd: root, maxBuffer: 16 << 20 });
	const server = spawn(vite, ['preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
	let browser: Browser | null = null;
	try {
		const url = `http://127.0.0.1:${PORT}/`;
		await waitForServer(url, server);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		});
		const timings: NotebookTiming[] = [];
		for (const id of exampleIds()) {
			console.error(`running ${id}…`);
			timings.push(await timeNotebook(browser, url, id));
		}
		if (json) console.log(JSON.stringify({ notebooks: timings }, null, 2));
		else printTable(timings);
	} finally {
		await browser?.close();
		server.kill();
	}
}

/** The ids of the shipped example notebooks, in file order. */
function exampleIds(): string[] {
	const dir = join(root, 'scenarios/notebooks');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).id as string);
}

/** Opens one example in a fresh context, presses Run all and times it. */
async function timeNotebook(browser: Browser, url: string, id: string): Promise<NotebookTiming> {
	const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
	try {
		await context.addInitScript(() => {
			const w = window as unknown as { __longTasks: number[] };
			w.__longTasks = [];
			new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
		});
		const page = await context.newPage();
		const opened = Date.now();
		await page.goto(`${url}notebook?example=${encodeURIComponent(id)}`);
		const runAll = page.getByRole('button', { name: 'Run all' });
		await runAll.waitFor({ timeout: 60_000 });
		const openSeconds = await page
			.locator('section.chart figure svg')
			.first()
			.waitFor({ timeout: 30_000 })
			.then(() => (Date.now() - opened) / 1000)
			.catch(() => null);
		await page.waitForTimeout(500); // let the opening settle: its tasks are not Run all's
		const cells = await page.locator('[data-cell]').count();
		// Another seed in every experiment: the shipped results no longer apply, and the work is the same.
		for (const seed of await page.locator('section.experiment').getByLabel('Seed', { exact: true }).all()) {
			await seed.fill(String(Number((await seed.inputValue()) || 1) + 1));
			await seed.press('Tab');
		}
		await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks = []));
		const start = Date.now();
		await runAll.click();
		await page.getByText(/^Run all finished/).waitFor({ timeout: 600_000 });
		const runAllSeconds = (Date.now() - start) / 1000;
		const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
		return { id, cells, openSeconds, runAllSeconds, longTasks: longTasks.filter((d) => d > 50).length, longestTaskMs: Math.max(0, ...longTasks) };
	} finally {
		await context.close();
	}
}

async function waitForServer(url: string, server: ChildProcess): Promise<void> {
	for (let i = 0; i < 600; i++) {
		if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`vite preview did not answer at ${url} within a minute`);
}

function printTable(timings: NotebookTiming[]): void {
	console.log('notebook                                   cells  open  Run all  long tasks > 50 ms  longest');
	for (const t of timings) {
		console.log(
			`${t.id.padEnd(42)} ${String(t.cells).padStart(5)}  ${(t.openSeconds === null ? '—' : `${t.openSeconds.toFixed(1)} s`).padStart(5)}  ${`${t.runAllSeconds.toFixed(2)} s`.padStart(7)}  ${String(t.longTasks).padStart(18)}  ${`${t.longestTaskMs.toFixed(0)} ms`.padStart(7)}`
		);
	}
}
