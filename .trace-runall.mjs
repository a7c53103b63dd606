// Traces the main thread during Run all of examples (Chromium trace), and lists what each task over 50 ms spent its time on.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
const root = '/work/wt/runall/';
const port = 4390 + Number(process.env.LIFECYCLE_LAB_PORT_OFFSET ?? 0);
const server = spawn(`${root}node_modules/.bin/vite`, ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 300; i++) { try { if ((await fetch(url)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  for (const id of process.argv.slice(2)) {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(`${url}notebook?example=${id}`);
    await page.locator('section.chart figure svg').first().waitFor({ timeout: 60000 });
    await page.waitForTimeout(1000);
    for (const seed of await page.locator('section.experiment').getByLabel('Seed', { exact: true }).all()) { await seed.fill(String(Number((await seed.inputValue()) || 1) + 1)); await seed.press('Tab'); }
    await page.evaluate(() => document.querySelector('section.chart')?.scrollIntoView({ block: 'center' }));
    await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
    await page.evaluate(() => document.querySelector('.toolbar button.primary').click());
    await page.waitForFunction(() => document.querySelector('.overall')?.textContent?.trim().startsWith('Run all finished'), null, { timeout: 300000, polling: 500 });
    await page.waitForTimeout(1000);
    const buf = await browser.stopTracing();
    const { traceEvents } = JSON.parse(buf.toString());
    const main = traceEvents.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
    const onMain = traceEvents.filter((e) => main.includes(`${e.pid}:${e.tid}`) && e.ph === 'X');
    const tasks = onMain.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > 50000).sort((a, b) => a.ts - b.ts);
    const t0 = tasks.length ? Math.min(...onMain.map((e) => e.ts)) : 0;
    console.log(`== ${id}: ${tasks.length} tasks over 50 ms`);
    for (const t of tasks) {
      const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && e.dur > 3000);
      const label = (e) => e.name === 'FunctionCall' ? `FunctionCall ${e.args?.data?.functionName || ''} ${String(e.args?.data?.url || '').split('/').pop()}:${e.args?.data?.lineNumber ?? ''}` : e.name;
      const agg = new Map(); for (const e of inside) agg.set(label(e), (agg.get(label(e)) ?? 0) + e.dur);
      const top = [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`).join(' | ');
      console.log(`${((t.ts - t0) / 1e6).toFixed(2)} s  ${(t.dur / 1000).toFixed(0)} ms: ${top}`);
    }
    await ctx.close();
  }
} finally { await browser.close(); server.kill(); }
