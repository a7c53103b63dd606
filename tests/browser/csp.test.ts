/**
 * The Content Security Policy of the built app, in Chromium: the policy is in
 * every page's <meta> tag, eval and injected inline script are refused, and
 * what the app itself does (module scripts, simulation Web Workers, style
 * attributes, the chart PNG export through a blob: image) runs with no
 * violation reported.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, OPEN_TIMEOUT_MS, openWorkbench, type Workbench } from './harness';

type Watched = Page & { violations: () => Promise<string[]> };

describeInBrowser('the Content Security Policy in a real browser', () => {
	let bench: Workbench;
	beforeAll(async () => {
		bench = await openWorkbench(4182);
	}, OPEN_TIMEOUT_MS);
	afterAll(async () => bench?.close());

	/** A page that records every CSP violation from its first script on. */
	async function open(path: string): Promise<Watched> {
		const page = (await bench.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US', acceptDownloads: true })) as Watched;
		await page.addInitScript(() => {
			const seen: string[] = ((window as unknown as { __violations: string[] }).__violations = []);
			document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`));
		});
		page.violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
		await page.goto(`${bench.url}${path}`);
		return page;
	}

	/** The policy must forbid inline script and eval, and allow what the app needs. */
	function expectStrict(policy: string | null, where: string) {
		expect(policy, where).toMatch(/script-src 'self' 'sha256-[^']+'(;|$)/);
		expect(policy, where).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
		expect(policy, where).toContain("worker-src 'self'");
		expect(policy, where).toContain("img-src 'self' data: blob:");
		expect(policy, where).toContain("style-src 'self' 'unsafe-inline'");
	}

	it('every page carries the policy: no inline script, no eval, workers from the app itself', async () => {
		for (const path of ['', 'run', 'notebook', 'teach']) {
			const page = await open(path);
			expectStrict(await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content'), `/${path}`);
			await page.close();
		}
		// The fallback page a static host serves for unknown paths (vite preview serves its own 404).
		const fallback = readFileSync(new URL('../../build/404.html', import.meta.url), 'utf8');
		expectStrict(/<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(fallback)?.[1] ?? null, '404.html');
	});

	it('refuses eval, new Function, an injected inline script and an inline event handler', async () => {
		const page = await open('');
		await page.locator('main[data-ready]').waitFor();
		const outcome = await page.evaluate(async () => {
			const w = window as unknown as Record<string, unknown>;
			// From a timer, as page code would: code the test driver evaluates directly is exempt from the policy.
			const attempt = (f: () => unknown) =>
				new Promise<string>((resolve) =>
					setTimeout(() => {
						try {
							f();
							resolve('ran');
						} catch (error) {
							resolve((error as Error).name);
						}
					})
				);
			const evalResult = await attempt(() => (0, eval)('1 + 1'));
			const functionResult = await attempt(() => new Function('return 1')());
			const script = document.createElement('script');
			script.textContent = 'window.__inlineRan = true';
			document.head.append(script);
			const img = document.createElement('div');
			img.innerHTML = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.__handlerRan = true" onerror="window.__handlerRan = true">';
			document.body.append(img);
			await new Promise((r) => setTimeout(r, 300));
			return { evalResult, functionResult, inline: w.__inlineRan ?? false, handler: w.__handlerRan ?? false };
		});
		expect(outcome).toEqual({ evalResult: 'EvalError', functionResult: 'EvalError', inline: false, handler: false });
		const violations = await page.violations();
		expect(violations).toEqual(expect.arrayContaining(['script-src blocked eval', 'script-src-elem blocked inline', 'script-src-attr blocked inline']));
		await page.close();
	});

	it('the quick-run page runs a small simulation in its workers with no violation', async () => {
		const page = await open('run');
		await page.locator('button:not([disabled])', { hasText: /^Run$/ }).waitFor({ timeout: 30_000 });
		await page.getByLabel(/Scenario/).selectOption('six-stage');
		await page.getByLabel(/Replications/).fill('2');
		await page.getByLabel(/People on day 0/).fill('2000');
		await page.getByLabel(/^Days/).fill('60');
		await page.getByRole('button', { name: 'Run' }).click();
		await page.getByRole('row', { name: /^New customers/ }).waitFor({ timeout: 60_000 });
		expect(await page.locator('figure svg').count()).toBeGreaterThan(0);
		expect(await page.violations()).toEqual([]);
		await page.close();
	});

	it('the home page loads notebooks, an example runs with charts, and a chart exports as PNG, with no violation', async () => {
		const page = await open('');
		await page.locator('main[data-ready]').waitFor();
		await page.locator('a[href$="example=example-win-back-en"]').click();
		await page.waitForURL(/notebook\?id=nb-/);
		await page.getByRole('button', { name: 'Run all' }).click();
		const chart = page.locator('section.chart').filter({ has: page.locator('figure svg') }).first();
		await chart.waitFor({ timeout: 90_000 });
		const [png] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: 'PNG' }).click()]);
		expect(png.suggestedFilename()).toMatch(/\.png$/);
		// The example's results ship with it, so Run all finishes from them (a test plan included) without a Cancel.
		await page.getByText(/^Run all finished/).waitFor({ timeout: 120_000 });
		expect(await page.violations()).toEqual([]); // counted per page: the notebook page's, before going home
		await page.goto(bench.url);
		await page.locator('main[data-ready]').waitFor();
		expect(await page.locator('main a[href*="notebook?id=nb-"]').count()).toBeGreaterThan(0);
		expect(await page.violations()).toEqual([]);
		await page.close();
	});
});
