// Not a test (no timings in tests): a measurement for BENCHMARKS.md. Build first (npx vite build), then:
//   node tests/browser/longTasks.measure.mjs lesson-1-en example-win-back-en example-points-en
// CAP_MS bounds the wait per notebook (default 60 s).
// Main-thread long tasks during Run all on each example notebook (headless Chromium, PerformanceObserver 'longtask').
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
const root = new URL('../../', import.meta.url).pathname;
const port = 4187 + Number(process.env.LIFECYCLE_LAB_PORT_OFFSET ?? 0);
const capMs = Number(process.env.CAP_MS ?? 60000);
const server = spawn(`${root}node_modules/.bin/vite`, ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 300; i++) { try { if ((await fetch(url)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const ids = process.argv.slice(2);
try {
	for (const id of ids) {
		const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
		await ctx.addInitScript(() => {
			window.__long = [];
			new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true });
		});
		const page = await ctx.newPage();
		await page.goto(`${url}notebook?example=${id}`);
		await page.locator('section.cell').first().waitFor();
		await page.waitForTimeout(2000);
		const t0 = await page.evaluate(() => performance.now());
		// CSS selectors and a slow poll: Playwright's role queries run on the page's main thread and would count as its long tasks.
		await page.click('.toolbar button.primary');
		const finished = await page.waitForFunction(() => document.querySelector('.overall')?.textContent?.startsWith('Run all finished'), null, { timeout: capMs, polling: 1000 }).then(() => true, () => false);
		const t1 = await page.evaluate(() => performance.now());
		const long = (await page.evaluate(() => window.__long)).filter((e) => e.start >= t0);
		const ms = long.map((e) => e.ms).sort((a, b) => b - a);
		const statuses = await page.locator('section.cell .status').allTextContents();
		console.log(JSON.stringify({ id, finished, seconds: +((t1 - t0) / 1000).toFixed(1), longTasks: ms.length, over50: ms.filter((m) => m > 50).length, maxMs: Math.round(ms[0] ?? 0), top5: ms.slice(0, 5).map(Math.round), totalMs: Math.round(ms.reduce((a, b) => a + b, 0)), statuses }));
		await ctx.close();
	}
} finally {
	await browser.close();
	server.kill();
}
