/**
 * The notebook benchmark: every example notebook in scenarios/notebooks/,
 * "Run all" in headless Chromium on the built app, as a user would press it.
 * For each: seconds from the press to "Run all finished", and the main
 * thread's long tasks meanwhile (a
 * PerformanceObserver armed before the app loads). Results are computed,
 * not read from the shipped results: every experiment's seed is changed
 * first (the same work, other random numbers), as a user's edit would, and
 * Run all pressed within the edit's re-run pause. Also timed: opening the
 * example until its first chart shows (from the shipped results), and from
 * the press to the first chart drawn from new results (a partial chart, from
 * the replications done so far; told by the results named on the chart's
 * host, data-drawn-from) and to the last chart drawn.
 *   npm run bench -- --notebooks [--only id,id] [--no-build] [--json]
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { startPreview } from './previewServer';

const root = process.env.LIFECYCLE_LAB_ROOT ?? process.cwd();
const vite = join(root, 'node_modules/.bin/vite');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = 4310 + Number(process.env.LIFECYCLE_LAB_PORT_OFFSET ?? 0);

export interface NotebookTiming {
	id: string;
	cells: number;
	openSeconds: number | null;
	runAllSeconds: number;
	/** From the press to the first chart drawn from new results; null when no chart was redrawn. */
	firstChartSeconds: number | null;
	/** From the press to the last chart drawn (a second past "Run all finished" is watched, for charts still queued). */
	lastChartSeconds: number | null;
	longTasks: number;
	longestTaskMs: number;
}

/** Builds the app (unless `build` is false: the last build is served), serves it, runs every example (or those in `only`) and prints the table (or JSON). */
export async function benchNotebooks(json: boolean, only: string[] = [], build = true): Promise<void> {
	if (build) {
		console.error('building the app…');
		await promisify(execFile)(vite, ['build', '--logLevel', 'error'], { cwd: root, maxBuffer: 16 << 20 });
	}
	const server = await startPreview(root, PORT);
	let browser: Browser | null = null;
	try {
		const url = server.url;
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		});
		const timings: NotebookTiming[] = [];
		const ids = exampleIds();
		const unknown = only.filter((id) => !ids.includes(id));
		if (unknown.length) throw new Error(`--only: no example notebook "${unknown.join('", "')}"; there are ${ids.join(', ')}`);
		for (const id of ids.filter((id) => !only.length || only.includes(id))) {
			console.error(`running ${id}…`);
			timings.push(await timeNotebook(browser, url, id));
		}
		if (json) console.log(JSON.stringify({ notebooks: timings }, null, 2));
		else printTable(timings);
	} finally {
		await browser?.close();
		await server.stop();
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
			const w = window as unknown as { __longTasks: number[]; __since: number };
			w.__longTasks = [];
			w.__since = 0;
			// Entries arrive after their task: one that began before the count was reset is not counted.
			new PerformanceObserver((list) => list.getEntries().forEach((e) => e.startTime >= w.__since && w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
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
		// A user who runs all watches the first chart: put it on screen (an off-screen chart waits to be seen before it redraws).
		await page.evaluate(() => document.querySelector('section.chart')?.scrollIntoView({ block: 'center' }));
		await page.waitForTimeout(100); // well within the seed edit's re-run pause, which Run all then takes over
		// Found before the clock starts and the long tasks are counted: a role query runs on the page's thread and takes 60-110 ms on a notebook this size.
		const button = (await runAll.elementHandle())!;
		// Every chart drawn from now on is drawn from new results: note when each is put on the page.
		await page.evaluate(() => {
			const w = window as unknown as { __longTasks: number[]; __charts: number[]; __since: number };
			w.__longTasks = [];
			w.__since = performance.now();
			w.__charts = [];
			// A chart's host names the results it was drawn from: only results not on the page before the press count.
			const before = new Set([...document.querySelectorAll<HTMLElement>('section.chart [data-drawn-from]')].map((e) => e.dataset.drawnFrom));
			new MutationObserver((records) => {
				const drawn = records.some(
					(r) => r.target instanceof HTMLElement && r.target.closest('section.chart figure') && !before.has(r.target.dataset.drawnFrom) && [...r.addedNodes].some((n) => n instanceof Element && (n.matches('svg') || n.querySelector('svg')))
				);
				if (drawn) w.__charts.push(Date.now());
			}).observe(document.body, { childList: true, subtree: true });
		});
		const start = Date.now();
		// Clicked in the page, so the page does not scroll back to the button; waited for with a CSS query and a slow poll,
		// since Playwright's text and role queries run on the page's main thread and would add long tasks of their own.
		await button.evaluate((b) => (b as HTMLElement).click());
		await page.waitForFunction(() => document.querySelector('.overall')?.textContent?.trim().startsWith('Run all finished'), null, { timeout: 600_000, polling: 250 });
		const runAllSeconds = (Date.now() - start) / 1000;
		const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
		await page.waitForTimeout(1000); // charts still queued after the last cell finished
		const charts = await page.evaluate(() => (window as unknown as { __charts: number[] }).__charts);
		const since = (t: number | undefined) => (t === undefined ? null : (t - start) / 1000);
		return {
			id,
			cells,
			openSeconds,
			runAllSeconds,
			firstChartSeconds: since(charts[0]),
			lastChartSeconds: since(charts.at(-1)),
			longTasks: longTasks.filter((d) => d > 50).length,
			longestTaskMs: Math.max(0, ...longTasks)
		};
	} finally {
		await context.close();
	}
}

function printTable(timings: NotebookTiming[]): void {
	const s = (x: number | null, digits: number) => (x === null ? '—' : `${x.toFixed(digits)} s`);
	console.log('notebook                                   cells  open  Run all  first chart  last chart  long tasks > 50 ms  longest');
	for (const t of timings) {
		console.log(
			`${t.id.padEnd(42)} ${String(t.cells).padStart(5)}  ${s(t.openSeconds, 1).padStart(5)}  ${s(t.runAllSeconds, 2).padStart(7)}  ${s(t.firstChartSeconds, 2).padStart(11)}  ${s(t.lastChartSeconds, 2).padStart(10)}  ${String(t.longTasks).padStart(18)}  ${`${t.longestTaskMs.toFixed(0)} ms`.padStart(7)}`
		);
	}
}
