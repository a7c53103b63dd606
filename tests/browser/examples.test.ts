/**
 * Every shipped example notebook, in both languages, as a new user meets it:
 * it opens with its results already there (they ship with the app, named by
 * the content hash a run would store them under), and Run all finishes with
 * every experiment and test plan up to date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { hasChromium, openWorkbench, type Workbench } from './harness';

if (!hasChromium && process.env.CI) throw new Error('Chromium is missing: .ci/run installs it with apt-get');

const shots = new URL('../../.svelte-kit/screenshots/', import.meta.url).pathname;
const notebooks = new URL('../../scenarios/notebooks/', import.meta.url);
const examples = readdirSync(notebooks).map((f) => JSON.parse(readFileSync(new URL(f, notebooks), 'utf8')).id as string);

/** Pages open at once: enough to overlap loading, few enough for a shared two-core machine. */
const AT_ONCE = 4;

describe.skipIf(!hasChromium)('every shipped example in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		bench = await openWorkbench(4187);
	}, 600_000); // the build alone takes minutes on a loaded machine
	afterAll(async () => bench?.close());

	/** Opens one example and runs it all; returns what went wrong, if anything. */
	async function runAll(context: BrowserContext, id: string, runAllLabel: string): Promise<string[]> {
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(`${id}: ${e.message}`));
		await page.goto(`${bench.url}notebook?example=${id}`);
		await page.getByRole('button', { name: runAllLabel, exact: true }).waitFor();
		const runnable = page.locator('section.cell.experiment, section.cell.testPlan');
		const count = await runnable.count();
		const done = runnable.locator('.status.done');
		// Opened with results: every runnable cell is up to date before anything runs.
		await expect.poll(() => done.count(), { timeout: 30_000, message: `${id} opens with results` }).toBe(count);
		await page.getByRole('button', { name: runAllLabel, exact: true }).click();
		await expect.poll(() => done.count(), { timeout: 60_000, message: `${id} finishes Run all` }).toBe(count);
		// The notebook says so where Run all was pressed.
		await expect.poll(() => page.getByRole('toolbar').getByRole('status').filter({ hasText: /^(Run all finished|全部运行完成)/ }).count(), { timeout: 10_000, message: `${id} says Run all finished` }).toBe(1);
		expect(await page.locator('section.cell .status.failed, section.cell .status.running, section.cell .status.queued').count(), id).toBe(0);
		if (count) expect(await page.locator('section.cell.experiment [role="status"]').first().textContent(), id).toMatch(/from the cache|来自缓存/);
		await page.screenshot({ path: `${shots}example-${id}.png` });
		await page.close();
		return errors;
	}

	for (const [language, suffix, runAllLabel] of [
		['en-US', '-en', 'Run all'],
		['zh-CN', '-zh-CN', '全部运行']
	] as const) {
		it(`opens every ${language} example with its results, and Run all finishes on each`, async () => {
			const context = await bench.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: language });
			const ids = examples.filter((id) => id.endsWith(suffix));
			expect(ids.length).toBeGreaterThanOrEqual(8);
			const errors: string[] = [];
			for (let i = 0; i < ids.length; i += AT_ONCE) errors.push(...(await Promise.all(ids.slice(i, i + AT_ONCE).map((id) => runAll(context, id, runAllLabel)))).flat());
			expect(errors).toEqual([]);
			await context.close();
		}, 400_000);
	}
});
