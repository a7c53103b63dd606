// Profiles the main thread during Run all of one example (CDP sampling profiler), and attributes long tasks.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
    await ctx.addInitScript(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true }); });
    const page = await ctx.newPage();
    await page.goto(`${url}notebook?example=${id}`);
    await page.locator('section.chart figure svg').first().waitFor({ timeout: 60000 });
    await page.waitForTimeout(1000);
    for (const seed of await page.locator('section.experiment').getByLabel('Seed', { exact: true }).all()) { await seed.fill(String(Number((await seed.inputValue()) || 1) + 1)); await seed.press('Tab'); }
    await page.evaluate(() => document.querySelector('section.chart')?.scrollIntoView({ block: 'center' }));
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start');
    const t0 = await page.evaluate(() => { window.__long = []; return performance.now(); });
    await page.evaluate(() => document.querySelector('.toolbar button.primary').click());
    await page.waitForFunction(() => document.querySelector('.overall')?.textContent?.trim().startsWith('Run all finished'), null, { timeout: 300000, polling: 500 });
    await page.waitForTimeout(1000);
    const { profile } = await cdp.send('Profiler.stop');
    const long = await page.evaluate(() => window.__long);
    writeFileSync(`/tmp/runall-${id}.cpuprofile`, JSON.stringify(profile));
    // Attribute samples inside long tasks: map profile time to performance.now via the first sample ≈ t0.
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    let t = profile.startTime; const times = profile.timeDeltas.map((d) => (t += d));
    const offset = t0 - profile.startTime / 1000;
    const inLong = (ms) => long.find((l) => ms >= l.start && ms <= l.start + l.ms && l.ms > 50);
    const incl = new Map(); const self = new Map();
    profile.samples.forEach((sid, i) => {
      const ms = times[i] / 1000 + offset; const task = inLong(ms); if (!task) return;
      const dt = (profile.timeDeltas[i + 1] ?? 200) / 1000;
      const leaf = byId.get(sid); const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
      const seen = new Set(); let cur = sid; while (cur !== undefined) { const n = byId.get(cur); const k = key(n); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + dt); } cur = parent.get(cur); }
    });
    const top = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, v]) => `${v.toFixed(0).padStart(6)} ms  ${n}`).join('\n');
    console.log(`== ${id}: long tasks > 50 ms: ${long.filter((l) => l.ms > 50).map((l) => `${Math.round(l.start - t0)}:${Math.round(l.ms)}`).join(' ')}`);
    console.log('-- inclusive in long tasks\n' + top(incl, 45)); console.log('-- self in long tasks\n' + top(self, 20));
    await ctx.close();
  }
} finally { await browser.close(); server.kill(); }
