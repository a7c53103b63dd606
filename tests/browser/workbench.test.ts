import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { runReplications } from '../../src/lib/engine/run';
import { replicationKpis } from '../../src/lib/experiment/kpis';
import { builtIn } from '../helpers/scenarios';
import { describeInBrowser, OPEN_TIMEOUT_MS, openWorkbench, type Workbench } from './harness';

// CI installs Chromium (.ci/run); a developer machine without it skips these with a note.

const shots = new URL('../../.svelte-kit/screenshots/', import.meta.url).pathname;

describeInBrowser('the quick-run page in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		bench = await openWorkbench(4179);
	}, OPEN_TIMEOUT_MS);
	afterAll(async () => bench?.close());

	async function open(language: string): Promise<Page> {
		const page = await bench.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: language });
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(`${bench.url}run`);
		await hydrated(page);
		(page as Page & { errors: string[] }).errors = errors;
		return page;
	}

	/** Until the page is hydrated a control changes nothing; Run is enabled once it is. */
	async function hydrated(page: Page) {
		await page.locator('button:not([disabled])', { hasText: /^(Run|运行)$/ }).waitFor({ timeout: 30_000 });
	}

	async function setRun(page: Page, options: { scenario: string; replications: number; population: number; days: number }) {
		await page.getByLabel(/Scenario|场景/).selectOption(options.scenario);
		await page.getByLabel(/Replications|重复次数/).fill(String(options.replications));
		await page.getByLabel(/People on day 0|初始人数/).fill(String(options.population));
		await page.getByLabel(/^Days|天数/).fill(String(options.days));
	}

	it('runs a scenario in Web Workers and shows the same new-customer count as the engine in Node', async () => {
		const page = await open('en-US');
		await setRun(page, { scenario: 'six-stage', replications: 2, population: 20000, days: 90 });
		await page.getByRole('button', { name: 'Run' }).click();
		const row = page.getByRole('row', { name: /^New customers/ });
		await row.waitFor({ timeout: 60_000 });
		const shown = Number((await row.getByRole('cell').first().textContent())!.replace(/[^0-9.]/g, ''));

		const scenario = builtIn('six-stage', (raw) => {
			raw.population.initial = 20000;
			raw.horizonDays = 90;
		});
		const outputs = runReplications(scenario, 2);
		const expected = outputs.map((o) => replicationKpis(o, scenario).newCustomers).reduce((a, b) => a + b) / 2;
		expect(shown).toBe(Math.round(expected));
		expect(await page.locator('figure svg').count()).toBeGreaterThanOrEqual(2);
		expect((page as Page & { errors: string[] }).errors).toEqual([]);
		await page.screenshot({ path: `${shots}run-en.png`, fullPage: true });
	});

	it('speaks Simplified Chinese when switched, and remembers it', async () => {
		const page = await open('en-US');
		await page.getByLabel('Language').selectOption('zh-CN');
		await expect.poll(() => page.locator('.brand').textContent(), { timeout: 10_000 }).toBe('生命周期实验室');
		await page.reload();
		await hydrated(page);
		await expect.poll(() => page.locator('.brand').textContent(), { timeout: 10_000 }).toBe('生命周期实验室');
		await setRun(page, { scenario: 'five-stage', replications: 2, population: 10000, days: 60 });
		await page.getByRole('button', { name: '运行' }).click();
		await page.getByRole('row', { name: /^新客数/ }).waitFor({ timeout: 60_000 });
		await page.screenshot({ path: `${shots}run-zh.png`, fullPage: true });
	});

	it('cancels a long run and runs again afterwards', async () => {
		const page = await open('en-US');
		await setRun(page, { scenario: 'six-stage', replications: 40, population: 1_000_000, days: 365 });
		await page.getByRole('button', { name: 'Run' }).click();
		await page.getByRole('progressbar').waitFor();
		await page.getByRole('button', { name: 'Cancel' }).click();
		await page.getByText('Run cancelled.').waitFor({ timeout: 5_000 });
		await setRun(page, { scenario: 'six-stage', replications: 1, population: 5000, days: 30 });
		await page.getByRole('button', { name: 'Run' }).click();
		await page.getByRole('row', { name: /^New customers/ }).waitFor({ timeout: 60_000 });
	});

	it('names the field of a bad input and does not run it', async () => {
		const page = await open('en-US');
		await page.getByLabel(/^Days/).fill('0');
		// The field by its label, then the rule in the interface's language (the form's localised messages); the box is marked.
		await page.getByRole('alert').getByRole('listitem').filter({ has: page.locator('strong', { hasText: 'Days' }) }).filter({ hasText: 'Must be at least 1; got 0.' }).waitFor();
		expect(await page.getByLabel(/^Days/).getAttribute('aria-invalid')).toBe('true');
		expect(await page.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
		// A run too big for a tab is refused with the figures, and the page stays usable.
		await setRun(page, { scenario: 'six-stage', replications: 200, population: 100_000_000, days: 365 });
		await page.getByRole('button', { name: 'Run' }).click();
		await page.getByText(/This run would need about [\d.]+ GB, more than the 1\.5 GB a browser tab can use/).waitFor();
		expect((page as Page & { errors: string[] }).errors).toEqual([]);
	});
});
