/**
 * BG/BB in the calibration cell, in a real browser: the donations table
 * (Fader, Hardie & Shang 2010) fitted in the calibration worker shows the
 * numbers the CLI prints and the library computes, its scores download as
 * the CLI writes them, a log by occasion with a holdout shows the holdout
 * check, and the whole thing reads in English and Chinese, on a desktop and
 * on a phone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bgbbReport, readBgbbData } from '../../src/lib/calibration/bgbbReport';
import { formatNumber } from '../../src/lib/format/number';
import { sim } from '../helpers/cli';
import { addCellAtEnd, describeInBrowser, englishWords, OPEN_TIMEOUT_MS, openNewNotebook, openWorkbench, type Workbench } from './harness';

const donationsPath = new URL('../fixtures/donations-rf.csv', import.meta.url).pathname;
const donations = readFileSync(donationsPath, 'utf8');
const shots = new URL('../../.svelte-kit/screenshots/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bgbb-browser-'));
const en = (v: number, digits: number) => formatNumber(v, 'decimal', { language: 'en', digits });

/** The donations table as a log by occasion: each donor's first gift at 0, then x gifts ending at t_x (the table's histories at n = 6). */
function donationsLog(): string {
	const { rows } = readBgbbData(donations, { kind: 'table' }).histories;
	const lines = ['donor_id,year'];
	let id = 0;
	for (let k = 0; k < rows.x.length; k++) {
		for (let c = 0; c < rows.weight[k]; c++) {
			lines.push(`d${++id},0`);
			for (let j = 0; j < rows.x[k]; j++) lines.push(`d${id},${rows.tx[k] - j}`);
		}
	}
	return lines.join('\n') + '\n';
}

describeInBrowser('BG/BB in the calibration cell, in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		bench = await openWorkbench(4191);
	}, OPEN_TIMEOUT_MS);
	afterAll(async () => bench?.close());

	async function bgbbPanel(page: Page): Promise<Locator> {
		await openNewNotebook(page, bench);
		await addCellAtEnd(page, 'Calibration');
		const panel = page.locator('section.calibration details.bgbb');
		await panel.locator('summary').click();
		return panel;
	}

	it('fits the donations table in the worker: the numbers shown are the CLI’s and the library’s, the scores download as the CLI writes them', async () => {
		const cliScores = join(dir, 'cli-scores.csv');
		const cli = await sim('calibrate', donationsPath, '--model', 'bgbb', '--scores', cliScores, '--horizon', '5');
		expect(cli.code).toBe(0);
		const printed = JSON.parse(cli.stdout);
		const library = bgbbReport(readBgbbData(donations, { kind: 'table' }));
		expect(printed.params).toEqual(library.fit.params);

		const page = await bench.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US', acceptDownloads: true });
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		const panel = await bgbbPanel(page);
		await panel.getByLabel('Choose a recency/frequency table or a log by occasion (CSV)').setInputFiles(donationsPath);
		await panel.getByText(/A recency\/frequency table: every row is a history/).waitFor();
		await panel.getByRole('button', { name: 'Fit BG/BB' }).click();

		const row = (name: string) => panel.locator('table.params tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).locator('td');
		// Fader, Hardie & Shang (2010): α = 1.204, β = 0.750, γ = 0.657, δ = 2.783.
		await expect.poll(() => row('α').first().textContent(), { timeout: 60_000 }).toBe('1.204');
		for (const [symbol, k] of [['α', 'alpha'], ['β', 'beta'], ['γ', 'gamma'], ['δ', 'delta']]) {
			expect(await row(symbol).nth(0).textContent()).toBe(en(printed.params[k], 3));
			expect(await row(symbol).nth(1).textContent()).toBe(en(printed.standardErrors[k], 3));
		}
		expect([await row('β').first().textContent(), await row('γ').first().textContent(), await row('δ').first().textContent()]).toEqual(['0.750', '0.657', '2.783']);
		await panel.getByText(`11,104 customers; log-likelihood ${en(printed.logLikelihood, 1)}; AIC ${en(printed.aic, 1)}; BIC ${en(printed.bic, 1)}`).waitFor();
		expect(en(printed.logLikelihood, 1)).toBe('-33,225.6');
		await panel.getByRole('figure', { name: 'Customers by repeat purchases: actual and expected under BG/BB' }).locator('svg').first().waitFor();
		await panel.getByRole('figure', { name: /Probability alive by repeat purchases/ }).locator('svg').first().waitFor();

		// Scores for the next 5 occasions: the preview, then the download, the CLI's rows and columns with its values to 8 significant digits
		// (Chromium's V8 and Node's part ways in the 11th digit of the optimum: the last bits of the math functions differ).
		await panel.getByLabel('Next occasions').fill('5');
		await panel.getByText('The first 10 of 22 rows').waitFor();
		const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download scores (CSV)' }).click()]);
		const [downloaded, written] = [readFileSync((await download.path())!, 'utf8'), readFileSync(cliScores, 'utf8')].map((t) => t.trimEnd().split('\n').map((l) => l.split(',')));
		expect(downloaded[0]).toEqual(['x', 't_x', 'n', 'customers', 'p_alive', 'expected_purchases']);
		expect(downloaded.map((r) => r.slice(0, 4))).toEqual(written.map((r) => r.slice(0, 4)));
		downloaded.slice(1).forEach((r, i) => {
			for (const k of [4, 5]) expect(Math.abs(Number(r[k]) / Number(written[i + 1][k]) - 1)).toBeLessThan(1e-8);
		});
		await page.screenshot({ path: `${shots}calibration-bgbb-en.png`, fullPage: true });

		// On a phone the wide tables scroll inside the cell, never the page.
		await page.setViewportSize({ width: 390, height: 844 });
		await page.waitForTimeout(300);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.screenshot({ path: `${shots}calibration-bgbb-390-en.png`, fullPage: true });

		// In Chinese: the same numbers, no English left but the model's names.
		await page.setViewportSize({ width: 1400, height: 1000 });
		await page.locator('label.language select').selectOption('zh-CN');
		await panel.getByText(/11,104 位客户；对数似然 -33,225.6/).waitFor();
		expect((await englishWords(page, 'section.calibration details.bgbb')).filter((w) => !['AIC', 'BIC'].includes(w))).toEqual([]);
		await page.screenshot({ path: `${shots}calibration-bgbb-zh-CN.png`, fullPage: true });
		await page.setViewportSize({ width: 390, height: 844 });
		await page.waitForTimeout(300);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.screenshot({ path: `${shots}calibration-bgbb-390-zh-CN.png`, fullPage: true });
		await page.locator('label.language select').selectOption('en');

		// The file is kept beside the notebook: after a reload the fit is back without choosing it again.
		await page.setViewportSize({ width: 1400, height: 1000 });
		await page.waitForTimeout(1_000);
		await page.reload();
		await expect.poll(() => row('δ').first().textContent(), { timeout: 60_000 }).toBe('2.783');
		expect(errors).toEqual([]);
		await page.close();
	});

	it('fits a log by occasion through occasion 4 and checks occasions 5 and 6 against it, as the library does', async () => {
		const logPath = join(dir, 'donations-log.csv');
		const text = donationsLog();
		writeFileSync(logPath, text);
		const library = bgbbReport(readBgbbData(text, { kind: 'log', id: 'donor_id', occasion: 'year', calibrationEnd: 4, holdoutEnd: 6 }));
		const holdout = library.holdout!;

		const page = await bench.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		const panel = await bgbbPanel(page);
		await panel.getByLabel('Choose a recency/frequency table or a log by occasion (CSV)').setInputFiles(logPath);
		// The columns are guessed from the header.
		await expect.poll(() => panel.getByLabel('Occasion number').inputValue()).toBe('year');
		expect(await panel.getByLabel('Customer id').inputValue()).toBe('donor_id');
		await panel.getByLabel('Calibration ends at occasion').fill('4');
		await panel.getByLabel('Holdout ends at occasion').fill('6');
		await panel.getByRole('button', { name: 'Fit BG/BB' }).click();
		const expected = `Holdout (occasions 5 to 6): ${en(holdout.actualRepeatPurchases, 0)} repeat purchases happened, the model predicted ${en(holdout.predictedRepeatPurchases, 0)} (error`;
		await panel.getByText(expected).waitFor({ timeout: 60_000 });
		const alpha = panel.locator('table.params tr').filter({ has: page.getByRole('rowheader', { name: 'α', exact: true }) }).locator('td').first();
		expect(await alpha.textContent()).toBe(en(library.fit.params.alpha, 3));
		await panel.getByRole('figure', { name: /Cumulative repeat purchases by occasion/ }).locator('svg').first().waitFor();
		await panel.getByRole('figure', { name: 'Holdout purchases per customer by calibration purchases' }).locator('svg').first().waitFor();
		await panel.getByText('The first 10 of 11,104 rows').waitFor();
		await page.screenshot({ path: `${shots}calibration-bgbb-log-en.png`, fullPage: true });

		// Moving the calibration end refits in the worker.
		const later = bgbbReport(readBgbbData(text, { kind: 'log', id: 'donor_id', occasion: 'year', calibrationEnd: 5, holdoutEnd: 6 })).holdout!;
		await panel.getByLabel('Calibration ends at occasion').fill('5');
		await panel.getByLabel('Calibration ends at occasion').dispatchEvent('change');
		await panel.getByText(`Holdout (occasions 6 to 6): ${en(later.actualRepeatPurchases, 0)} repeat purchases happened, the model predicted ${en(later.predictedRepeatPurchases, 0)}`).waitFor({ timeout: 60_000 });
		expect(errors).toEqual([]);
		await page.close();
	});
});
