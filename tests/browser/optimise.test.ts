/**
 * The optimise cell in a real browser: it runs on its own workers, shows its
 * progress and the trade-off frontier as batches come in, and its best values
 * become a new scenario cell for the live-test rehearsal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addCellAtEnd, englishWords, hasChromium, openNewNotebook, openWorkbench, type Workbench } from './harness';
import { discountScenario } from '../helpers/lateDiscount';

const design = {
	decisions: [{ parameter: '/policies/0/startDay', label: 'discount from day', kind: 'integer', low: 0, high: 364 }],
	objective: { metric: 'grossProfit', goal: 'maximise' },
	constraints: [{ metric: 'gmv', atMost: 1e9 }],
	replications: 2,
	batchSize: 4,
	evaluations: 8,
	selection: { candidates: 2, maxReplications: 6 }
};

describe.skipIf(!hasChromium)('the optimise cell, in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		bench = await openWorkbench(4188);
	}, 420_000);
	afterAll(async () => bench?.close());

	it('runs, shows progress and the frontier, and its best values become a scenario cell', async () => {
		const page: Page = await bench.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await openNewNotebook(page, bench);
		const scenarioCell = page.locator('section.scenario').first();
		await scenarioCell.getByRole('tab', { name: 'JSON' }).click();
		await scenarioCell.getByLabel('Scenario as JSON').fill(JSON.stringify(discountScenario(1500), null, 2));
		await scenarioCell.getByText(/1,500 people/).waitFor();

		await addCellAtEnd(page, 'Optimise');
		const cell = page.locator('section.optimise');
		await cell.getByLabel(/^Design:/).fill(JSON.stringify(design, null, 2));
		await cell.getByText(/8 settings in all/).waitFor();
		await cell.getByRole('button', { name: 'Run', exact: true }).click();
		await cell.getByText(/Search: \d+ of 8 settings evaluated/).waitFor({ timeout: 60_000 });
		// The chart appears with the first batch, before the run ends.
		await cell.getByRole('figure', { name: 'Trade-off frontier: Gross profit against GMV' }).or(cell.getByRole('figure', { name: /by evaluation/ })).first().waitFor({ timeout: 120_000 });
		await cell.getByRole('table', { name: 'Best setting' }).waitFor({ timeout: 180_000 });
		await cell.getByRole('figure', { name: 'Trade-off frontier: Gross profit against GMV' }).waitFor();
		expect(await cell.getByRole('table', { name: 'Runner-up' }).count()).toBe(1);
		await cell.getByText(/Probability the best really is best: \d+%/).waitFor();
		const bestStart = Number((await cell.getByRole('table', { name: 'Best setting' }).locator('tbody tr').first().locator('td').nth(1).textContent())!.replace(/,/g, ''));
		expect(bestStart).toBeGreaterThanOrEqual(0);

		await page.getByLabel('Language').selectOption('zh-CN');
		await cell.getByRole('table', { name: '最优方案' }).waitFor();
		await cell.getByText(/最优方案确为最优的概率：\d+%/).waitFor();
		await cell.getByRole('figure', { name: '权衡前沿：毛利 对 GMV（成交总额）' }).waitFor();
		expect(await englishWords(page, 'section.optimise')).toEqual([]);
		await page.locator('label.language select').selectOption('en');

		await cell.getByRole('button', { name: 'New scenario cell with the best values' }).click();
		await expect.poll(() => page.locator('section.scenario').count()).toBe(2);
		const added = page.locator('section.scenario').nth(1);
		await added.getByRole('tab', { name: 'JSON' }).click();
		const json = JSON.parse(await added.getByLabel('Scenario as JSON').inputValue());
		expect(json.policies[0].startDay).toBe(bestStart);
		expect(errors).toEqual([]);
	}, 300_000);
});
