import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { addCellAtEnd, englishWords, describeInBrowser, OPEN_TIMEOUT_MS, openNewNotebook, openWorkbench, type Workbench } from './harness';


const cdnow = new URL('../fixtures/cdnow_sample.csv', import.meta.url).pathname;
const shots = new URL('../../.svelte-kit/screenshots/', import.meta.url).pathname;

/** Six-stage with 5,000 people and no paid inflow: a fit of a few weeks takes seconds. */
function smallScenario(): string {
	const s = JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8'));
	s.population.initial = 5000;
	for (const ch of s.channels) if (ch.kind !== 'referral') ch.prospectsPerDay = 0;
	return JSON.stringify(s, null, 2);
}

describeInBrowser('fitting the funnel by simulation in the notebook, in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		bench = await openWorkbench(4184);
	}, OPEN_TIMEOUT_MS);
	afterAll(async () => bench?.close());

	it('fits the considering → first purchase rate to CDNOW’s weekly new customers, shows the fit and adds the fitted scenario', async () => {
		const page: Page = await bench.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await openNewNotebook(page, bench);
		const scenarioCell = page.locator('section.scenario').first();
		await scenarioCell.getByRole('tab', { name: 'JSON' }).click();
		await scenarioCell.getByLabel('Scenario as JSON').fill(smallScenario());
		await scenarioCell.getByText(/5,000 people/).waitFor();

		// The kinds open from the + of the add bar (one tab stop per gap).
		await addCellAtEnd(page, 'Calibration');
		const cell = page.locator('section.calibration');
		await cell.getByLabel('Choose a transaction log CSV file').setInputFiles(cdnow);
		await expect.poll(() => cell.getByLabel('Customer id', { exact: true }).inputValue()).toBe('customer_id');
		await cell.getByRole('button', { name: 'Import' }).click();
		await cell.getByText(/6,919 purchases of 2,357 customers/).waitFor({ timeout: 30_000 });

		const panel = cell.locator('section.simulation-fit');
		await panel.getByRole('heading', { name: 'Fit the funnel by simulation' }).waitFor();
		// The log spans 78 weeks; 12 are proposed, 6 keep this test quick.
		await panel.getByText('of 78').waitFor();
		expect(await panel.getByLabel("Weeks from the log's first day").inputValue()).toBe('12');
		// A fit cancelled midway stops its worker and leaves the cell ready for the next.
		await panel.getByRole('button', { name: 'Run the fit' }).click();
		await panel.getByText(/Fitting by simulation: [1-9]\d* evaluations so far/).waitFor({ timeout: 30_000 });
		await panel.getByRole('button', { name: 'Cancel' }).click();
		await panel.getByRole('status').waitFor({ state: 'detached' });
		expect(await panel.locator('table.fitted').count()).toBe(0);

		await panel.getByLabel("Weeks from the log's first day").fill('6');
		await panel.getByLabel("Weeks from the log's first day").dispatchEvent('change');
		await panel.getByLabel('Replications per evaluation').fill('2');
		await panel.getByLabel('Replications per evaluation').dispatchEvent('change');
		// The move into the first purchase is proposed, with bounds from the schema's kind of value.
		const rate = panel.getByLabel('Fit Considering → First purchase (daily probability)');
		expect(await rate.isChecked()).toBe(true);
		expect(await panel.getByLabel('Low bound of Considering → First purchase (daily probability)').inputValue()).toBe('0.0001');
		expect(await panel.getByLabel('Fit Paid ads: prospects per day').isChecked()).toBe(false);
		await panel.getByLabel('Fit Initial population').waitFor();

		const started = Date.now();
		await panel.getByRole('button', { name: 'Run the fit' }).click();
		await panel.getByText(/Fitting by simulation: \d+ evaluations so far/).waitFor();
		const fitted = panel.locator('table.fitted tbody tr');
		await fitted.first().waitFor({ timeout: 120_000 });
		const seconds = (Date.now() - started) / 1000;
		console.log(`simulation fit in the browser: ${seconds.toFixed(1)} s`);
		expect(await fitted.count()).toBe(1);
		const cells = await fitted.first().locator('td').allTextContents();
		expect(cells[1]).toMatch(/^0\.\d+$/);
		expect(cells[2]).toMatch(/^(± 0\.\d+|—)$/);
		await panel.getByText(/χ² = [\d,.]+ on 5 degrees of freedom \(6 weeks, 2 replications per evaluation, \d+ evaluations\)/).waitFor();
		const chart = panel.getByRole('figure', { name: /Observed and simulated, per week/ });
		expect(await chart.locator('svg path').count()).toBeGreaterThanOrEqual(2);
		// A viewport tall enough that nothing scrolls, so the notebook's sticky toolbar stays off the panel.
		await page.setViewportSize({ width: 1400, height: 6000 });
		await panel.screenshot({ path: `${shots}simulation-fit-en.png` });

		await panel.getByRole('button', { name: 'Add a scenario cell with the fitted values' }).click();
		const added = page.locator('section.scenario').nth(1);
		await added.getByText('Six-stage funnel (fitted)').waitFor();

		// The fit is kept in the cell: a reload shows it at once, with no fit running.
		await page.waitForTimeout(1_000);
		await page.reload();
		await fitted.first().waitFor({ timeout: 30_000 });
		expect(await fitted.first().locator('td').allTextContents()).toEqual(cells);
		expect(await panel.getByText(/evaluations so far/).count()).toBe(0);
		await expect.poll(() => chart.locator('svg path').count()).toBeGreaterThanOrEqual(2);
		await scenarioCell.getByRole('tab', { name: 'JSON' }).click();

		await page.getByLabel('Language').selectOption('zh-CN');
		await panel.getByRole('heading', { name: '用模拟拟合漏斗' }).waitFor();
		await panel.getByText(/χ² = [\d,.]+，自由度 5/).waitFor();
		await panel.screenshot({ path: `${shots}simulation-fit-zh.png` });
		// Names that stay as they are in Chinese text: the standard abbreviations the notebook test allows.
		expect(await englishWords(page, 'section.simulation-fit')).toEqual([]);

		// Refusals in the user's language: reversed bounds, then a scenario the schema rejects.
		await panel.getByLabel('考虑 → 首购（每日概率） 的下限').fill('0.9');
		await panel.getByRole('button', { name: '开始拟合' }).click();
		await panel.getByText('考虑 → 首购（每日概率）：上下限须为数字，且下限小于上限。').waitFor();
		await scenarioCell.getByLabel('场景 JSON').fill(smallScenario().replace('"initial": 5000', '"initial": -5'));
		await panel.getByText('该场景无效，无法拟合：').waitFor();
		await panel.getByRole('alert').filter({ hasText: 'population.initial' }).waitFor();
		expect(errors).toEqual([]);
	}, 240_000);
});
