import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { addCellAtEnd, describeInBrowser, OPEN_TIMEOUT_MS, openNewNotebook, openWorkbench, type Workbench } from './harness';


const cdnow = new URL('../fixtures/cdnow_sample.csv', import.meta.url).pathname;
const shots = new URL('../../.svelte-kit/screenshots/', import.meta.url).pathname;

describeInBrowser('calibration in the notebook, in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		bench = await openWorkbench(4183);
	}, OPEN_TIMEOUT_MS);
	afterAll(async () => bench?.close());

	it('imports the CDNOW log in a worker, fits the published BG/NBD values, checks the holdout and makes a scenario', async () => {
		const page: Page = await bench.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await openNewNotebook(page, bench);
		// The kinds open from the + of the add bar (one tab stop per gap).
		await addCellAtEnd(page, 'Calibration');

		const cell = page.locator('section.calibration');
		await cell.getByLabel('Choose a transaction log CSV file').setInputFiles(cdnow);
		// The columns are guessed from the header; the user may change them.
		await expect.poll(() => cell.getByLabel('Customer id', { exact: true }).inputValue()).toBe('customer_id');
		expect(await cell.getByLabel('Amount', { exact: true }).inputValue()).toBe('amount');
		await cell.getByRole('button', { name: 'Import' }).click();
		await cell.getByText(/6,919 purchases of 2,357 customers/).waitFor({ timeout: 30_000 });

		await cell.getByLabel('Calibration ends').fill('1997-09-30');
		await cell.getByLabel('Calibration ends').dispatchEvent('change');
		await cell.getByLabel('Holdout ends').fill('1998-06-30');
		await cell.getByLabel('Holdout ends').dispatchEvent('change');
		// Fader, Hardie & Lee (2005): r = 0.243, α = 4.414 weeks, a = 0.793, b = 2.426.
		const value = (name: string) => cell.locator('table.params tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).locator('td').first();
		await expect.poll(() => value('r').textContent(), { timeout: 30_000 }).toBe('0.243');
		expect(await value('α (weeks)').textContent()).toBe('4.414');
		expect(await value('a').textContent()).toBe('0.793');
		expect(await value('b').textContent()).toBe('2.426');
		await cell.getByText(/Holdout: [\d,]+ repeat purchases happened, the model predicted/).waitFor();
		expect(await cell.locator('figure svg').count()).toBeGreaterThanOrEqual(3);
		await page.screenshot({ path: `${shots}calibration-en.png`, fullPage: true });

		await cell.getByRole('button', { name: 'Add a scenario cell with these values' }).click();
		await page.locator('section.scenario').nth(1).getByText(/Calibrated: cdnow_sample\.csv/).waitFor();

		// The three models side by side; the analyst picks Pareto/NBD (Fader & Hardie's note: s = 0.606) and downloads its scores.
		await cell.getByLabel('Compare BG/NBD, MBG/NBD and Pareto/NBD').check();
		await cell.getByRole('radio', { name: 'Pareto/NBD' }).waitFor({ timeout: 90_000 });
		expect(await cell.getByRole('radio').count()).toBe(3);
		await cell.getByRole('radio', { name: 'Pareto/NBD' }).check();
		await cell.getByText(/Used: Pareto\/NBD\./).waitFor({ timeout: 90_000 });
		await expect.poll(() => value('s').textContent(), { timeout: 30_000 }).toBe('0.606');
		await cell.getByRole('figure', { name: 'Cumulative repeat purchases: actual and each model' }).locator('svg').first().waitFor();
		await cell.getByRole('figure', { name: 'Probability alive by frequency and recency' }).locator('svg').first().waitFor();
		// The engine simulates Pareto/NBD customers too: the calibrated scenario follows the model picked.
		expect(await cell.getByRole('button', { name: 'Add a scenario cell with these values' }).isDisabled()).toBe(false);
		const [download] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Download scores (CSV)' }).click()]);
		const scores = readFileSync((await download.path())!, 'utf8').trim().split('\n');
		expect(scores[0]).toBe('customer_id,x,t_x,T,p_alive,expected_purchases,expected_spend,clv');
		expect(scores).toHaveLength(2358);
		await page.screenshot({ path: `${shots}calibration-models-en.png`, fullPage: true });
		// A cohort table as a BI tool exports it, beside the log's own triangle.
		const table = `${shots}cohorts.csv`;
		writeFileSync(table, 'cohort,period,active\n2024-01,0,1000\n2024-01,1,180\n2024-01,2,120\n2024-02,0,800\n2024-02,1,150\n2024-03,0,900\nbad,x,1\n');
		await cell.getByText(/Cohort table \(optional\)/).click();
		await cell.getByLabel('Choose a cohort table CSV file').setInputFiles(table);
		await expect.poll(() => cell.getByLabel('Active count or share', { exact: true }).inputValue()).toBe('active');
		await cell.getByRole('button', { name: 'Import' }).click();
		await cell.getByText('3 cohorts over 3 periods.').waitFor();
		await cell.getByText('1 row could not be read').waitFor();
		await cell.getByRole('figure', { name: 'Imported cohort retention' }).locator('svg').first().waitFor();

		// The datasets are kept beside the notebook: after a reload the fit is back without importing again.
		await page.waitForTimeout(1_000);
		await page.reload();
		await expect.poll(() => value('r').textContent(), { timeout: 30_000 }).toBe('0.243');
		await cell.getByText('3 cohorts over 3 periods.').waitFor();
		expect(errors).toEqual([]);
	});
});
