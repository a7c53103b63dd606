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
    // Busy stretches straight from the profile: consecutive samples that are neither idle nor (program) gaps.
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    let t = profile.startTime; const times = profile.timeDeltas.map((d) => (t += d));
    const stretches = []; let cur = null;
    profile.samples.forEach((sid, i) => {
      const name = byId.get(sid).callFrame.functionName;
      const idle = name === '(idle)';
      if (idle) { if (cur) { cur.end = times[i]; stretches.push(cur); cur = null; } return; }
      if (!cur) cur = { start: times[i], samples: [] };
      cur.samples.push(i);
    });
    const longS = stretches.filter((s) => s.end - s.start > 50000);
    console.log(`== ${id}: busy stretches > 50 ms: ${longS.length}`);
    for (const st of longS) {
      const incl = new Map();
      for (const i of st.samples) { const dt = (profile.timeDeltas[i + 1] ?? 200) / 1000; const seen = new Set(); let c = profile.samples[i]; while (c !== undefined) { const k = key(byId.get(c)); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + dt); } c = parent.get(c); } }
      const top = [...incl.entries()].filter(([k]) => !k.startsWith('(root)')).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' | ');
      console.log(`${((st.start - profile.startTime) / 1e6).toFixed(2)} s ${((st.end - st.start) / 1000).toFixed(0)} ms: ${top}`);
    }
    await ctx.close();
  }
} finally { await browser.close(); server.kill(); }
