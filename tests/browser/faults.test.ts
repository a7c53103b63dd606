/**
 * Faults a user meets in a real browser, injected on purpose: the browser
 * killed a second after typing, a reload in the middle of an autosave, two
 * tabs editing one notebook, and script hidden in scenario labels and CSV
 * fields. Each ends with the notebook intact.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { armXssDetector, describeInBrowser, OPEN_TIMEOUT_MS, openWorkbench, startChromium, type Workbench } from './harness';


const files = mkdtempSync(join(tmpdir(), 'lifecycle-faults-'));

type Tracked = Page & { errors: string[] };

function track(page: Page): Tracked {
	const tracked = page as Tracked;
	tracked.errors = [];
	page.on('pageerror', (e) => tracked.errors.push(e.message));
	page.on('dialog', (d) => {
		tracked.errors.push(`dialog: ${d.message()}`);
		void d.dismiss();
	});
	return tracked;
}

const title = (page: Page) => page.getByLabel('Notebook title');
const saved = (page: Page) => page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor();

describeInBrowser('faults in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		bench = await openWorkbench(4185);
	}, OPEN_TIMEOUT_MS);
	afterAll(async () => bench?.close());

	/** Opens a copy of the English win-back example; returns its address. */
	async function openExample(page: Page): Promise<string> {
		await page.goto(bench.url);
		await page.locator('main[data-ready]').waitFor();
		await page.locator('a[href$="example=example-win-back-en"]').click();
		await page.waitForURL(/notebook\?id=nb-/);
		await page.getByRole('button', { name: 'Run all' }).waitFor();
		return page.url();
	}

	it('loses nothing typed more than a second before the browser was killed', async () => {
		const profile = mkdtempSync(join(tmpdir(), 'lifecycle-profile-'));
		const start = () => startChromium(profile, { width: 1300, height: 900, lang: 'en-US' });
		let own = await start();
		try {
			const page = track(await own.context.newPage());
			const address = await openExample(page);
			// Typed once the notebook is on screen with its shipped results, as a user would: the promise is about an open notebook.
			await page.locator('section.chart figure svg').first().waitFor({ timeout: 60_000 });
			await page.waitForLoadState('networkidle');
			await page.getByText(/^Saved$/).first().waitFor({ timeout: 30_000 });
			await title(page).fill('Typed a second before the crash');
			await page.waitForTimeout(1_000);
			// SIGKILL to the browser this test started, by its process id: no pagehide, no unload, no chance
			// to flush; only what autosave already wrote survives.
			await own.kill();
			own = await start();
			const again = track(await own.context.newPage());
			await again.goto(address);
			await expect.poll(() => title(again).inputValue(), { timeout: 15_000 }).toBe('Typed a second before the crash');
			expect(again.errors).toEqual([]);
		} finally {
			await own.close();
			// Chromium's helpers may still be writing into the profile as it closes: retry rather than fail on a directory not yet empty.
			rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
		}
	}, 90_000);

	it('opens an intact notebook after a reload in the middle of an autosave, and keeps the next edit', async () => {
		const context = await bench.browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'en-US' });
		const page = track(await context.newPage());
		const address = await openExample(page);
		const before = await title(page).inputValue();
		await title(page).fill('Reloaded while saving');
		await page.reload();
		// The save may or may not have landed (the page went away mid-save); either way the record is whole.
		await page.getByRole('button', { name: 'Run all' }).waitFor();
		expect([before, 'Reloaded while saving']).toContain(await title(page).inputValue());
		expect(await page.locator('section.cell').count()).toBeGreaterThan(5);
		await title(page).fill('Typed after the reload');
		await saved(page);
		await page.goto(address);
		await expect.poll(() => title(page).inputValue(), { timeout: 10_000 }).toBe('Typed after the reload');
		expect(page.errors).toEqual([]);
		await context.close();
	});

	it('tells the second tab when the first saved over its edit, and overwrites nothing', async () => {
		const context = await bench.browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'en-US' });
		// While window.__fullDisk is set, this tab's saves fail as on a full disk: its edit stays unsaved.
		await context.addInitScript(() => {
			const put = IDBObjectStore.prototype.put;
			IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
				if ((window as unknown as { __fullDisk?: boolean }).__fullDisk) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
				return put.apply(this, args);
			} as IDBObjectStore['put'];
		});
		const first = track(await context.newPage());
		const address = await openExample(first);
		const second = track(await context.newPage());
		await second.goto(address);
		await second.getByRole('button', { name: 'Run all' }).waitFor();

		// A tab with nothing unsaved follows the other's save.
		await title(first).fill('Edited in the first tab');
		await saved(first);
		await expect.poll(() => title(second).inputValue(), { timeout: 10_000 }).toBe('Edited in the first tab');

		// The second tab has an edit of its own that has not reached storage when the first saves again.
		await second.evaluate(() => ((window as unknown as { __fullDisk: boolean }).__fullDisk = true));
		await title(second).fill('Edited in the second tab');
		await second.getByText(/storage is full/).waitFor();
		await title(first).fill('Saved again in the first tab');
		await saved(first);
		const alert = second.getByRole('alert').filter({ hasText: /saved from another tab/ });
		await alert.waitFor();
		expect(await title(second).inputValue()).toBe('Edited in the second tab');

		// Keeping mine saves it; the first tab's version stays among the versions, and the first tab follows.
		await second.evaluate(() => ((window as unknown as { __fullDisk: boolean }).__fullDisk = false));
		await alert.getByRole('button', { name: /Keep mine/ }).click();
		await saved(second);
		await expect.poll(() => title(first).inputValue(), { timeout: 10_000 }).toBe('Edited in the second tab');
		await first.getByRole('button', { name: 'Versions' }).click();
		const versions = first.locator('section.versions li');
		await expect.poll(() => versions.first().locator('.title').textContent()).toBe('Edited in the second tab');
		await versions.filter({ hasText: 'Saved again in the first tab' }).first().getByRole('button', { name: 'Restore' }).click();
		await expect.poll(() => title(first).inputValue()).toBe('Saved again in the first tab');
		expect([...first.errors, ...second.errors]).toEqual([]);
		await context.close();
	});

	it('runs no script hidden in scenario labels, descriptions or CSV fields', async () => {
		const context = await bench.browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'en-US' });
		// Armed before any page loads and never reset: a payload that runs at import, render or later counts.
		const xssRuns = await armXssDetector(context);
		const page = track(await context.newPage());
		await page.goto(bench.url);
		await page.locator('main[data-ready]').waitFor();
		const payloads = ['<img src=x onerror="window.__xss++">', '<script>window.__xss++</script>', '"><svg onload="window.__xss++">', 'javascript:window.__xss++'];
		const scenario = JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8'));
		scenario.labels = { en: payloads[0], 'zh-CN': payloads[1] };
		scenario.description = { en: payloads.join(' '), 'zh-CN': payloads.join(' ') };
		scenario.stages.forEach((stage: { labels: Record<string, string> }, i: number) => (stage.labels = { en: `${payloads[i % 4]}${i}`, 'zh-CN': payloads[i % 4] }));
		scenario.segments[0].labels = { en: payloads[2], 'zh-CN': payloads[2] };
		const notebook = {
			schema: 'lifecycle-lab/notebook@1',
			id: 'xss-labels',
			title: 'XSS labels',
			createdAt: '2026-12-01T00:00:00.000Z',
			updatedAt: '2026-12-01T00:00:00.000Z',
			cells: [
				{ id: 'scenario', kind: 'scenario', scenario },
				{ id: 'room', kind: 'classroom', scenarioCell: 'scenario', agents: 100 },
				{ id: 'fit', kind: 'calibration' }
			]
		};
		mkdirSync(files, { recursive: true });
		writeFileSync(join(files, 'xss-labels.json'), JSON.stringify(notebook));
		await page.getByLabel('Import a notebook file (.json)').setInputFiles(join(files, 'xss-labels.json'));
		await page.getByRole('link', { name: 'XSS labels' }).click();
		await page.locator('section.classroom canvas').first().waitFor();
		await page.getByRole('button', { name: 'Step one week' }).click();

		// A transaction log whose ids, header and bad rows carry the payloads.
		const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;
		const rows = Array.from({ length: 30 }, (_, i) => `${i % 2 ? quoted(payloads[i % 4]) : `c${i}`},2024-01-${String((i % 28) + 1).padStart(2, '0')},${10 + i},x`);
		const csv = [`customer_id,date,amount,${quoted(payloads[0])}`, ...rows, `${quoted(payloads[0])},not a date,1,x`, `c1,2024-02-01,${quoted(payloads[1])},x`].join('\n');
		writeFileSync(join(files, 'xss.csv'), csv);
		const cell = page.locator('section.calibration');
		await cell.getByLabel('Choose a transaction log CSV file').setInputFiles(join(files, 'xss.csv'));
		await expect.poll(() => cell.getByLabel('Customer id', { exact: true }).inputValue()).toBe('customer_id');
		await cell.getByRole('button', { name: 'Import' }).click();
		await cell.getByText(/2 rows could not be read/).waitFor({ timeout: 20_000 });
		await cell.locator('details').evaluateAll((els) => els.forEach((el) => ((el as HTMLDetailsElement).open = true)));
		await page.waitForTimeout(500);
		expect(xssRuns()).toBe(0);
		// The detector is live: the payloads' own statement, run on purpose, is counted.
		await page.evaluate(() => (window as unknown as { __xss: number }).__xss++);
		expect(xssRuns()).toBe(1);
		// The payloads are shown as the text they are, never as elements.
		expect(await page.locator('main img[src="x"], main svg[onload], main script').count()).toBe(0);
		expect(await page.getByText(payloads[2], { exact: false }).count()).toBeGreaterThan(0);
		expect(page.errors).toEqual([]);
		await context.close();
	});
});
