/**
 * Browser tests drive the built workbench in Debian's Chromium through
 * playwright-core (never a downloaded browser): build the static app, serve
 * it on localhost with vite preview, open pages.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const root = new URL('../../', import.meta.url).pathname;
const vite = `${root}node_modules/.bin/vite`;

export interface Workbench {
	url: string;
	browser: Browser;
	close(): Promise<void>;
}

/**
 * Builds the app once per test run: browser test files run in parallel
 * workers of one vitest process, so the first to take the lock builds and
 * the others wait for its marker.
 */
async function buildOnce(): Promise<void> {
	const lock = `${root}.svelte-kit/browser-build-${process.ppid}`;
	try {
		mkdirSync(lock, { recursive: false });
	} catch {
		for (let i = 0; i < 1200 && !existsSync(`${lock}/done`); i++) await new Promise((r) => setTimeout(r, 100));
		if (!existsSync(`${lock}/done`)) throw new Error('the app build by another test file did not finish');
		return;
	}
	await promisify(execFile)(vite, ['build', '--logLevel', 'error'], { cwd: root, maxBuffer: 16 << 20 });
	writeFileSync(`${lock}/done`, '');
}

/** Builds the app (once), serves it and starts Chromium. */
export async function openWorkbench(basePort: number): Promise<Workbench> {
	// Several checkouts on one machine run their browser tests side by side, each with its own offset.
	const port = basePort + Number(process.env.LIFECYCLE_LAB_PORT_OFFSET ?? 0);
	await buildOnce();
	const server = spawn(vite, ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'pipe' });
	const url = `http://127.0.0.1:${port}/`;
	await waitForServer(url, server);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
	});
	return {
		url,
		browser,
		async close() {
			await browser.close();
			server.kill();
		}
	};
}

async function waitForServer(url: string, server: ChildProcess): Promise<void> {
	for (let i = 0; i < 100; i++) {
		if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`vite preview did not answer at ${url}`);
}

/** Names that stay as they are in Chinese text: the product's brand, the language switch, formats, standard abbreviations and model names. */
export const KEPT_IN_CHINESE = new Set(['Lifecycle', 'Lab', 'English', 'JSON', 'CSV', 'SVG', 'PNG', 'GMV', 'ROI', 'LTV', 'CAC', 'Markdown', 'Merge', 'Patch', 'Pointer', 'Shift', 'Enter', 'Alt', 'https', 'CNY', 'App', 'NBD', 'Gamma', 'Beta', 'KOL', 'KOC', 'WeChat']);

/**
 * Words of three or more Latin letters in the interface under `selector`,
 * leaving out the user's own (names, ids, markdown, JSON: anything marked
 * data-user-content, code, inputs) and the names kept in Chinese text: what
 * a Chinese interface must not show.
 */
export async function englishWords(page: Page, selector = 'body'): Promise<string[]> {
	const words = await page.evaluate((sel) => {
		const root = document.querySelector(sel)!;
		const skip = (el: Element | null) => !!el?.closest('[data-user-content], code, textarea, script, style, svg [aria-label], [translate="no"]');
		const wordsOf = (text: string | null | undefined) => text?.match(/[A-Za-z]{3,}/g) ?? [];
		// Words of the user's own names and ids, wherever they show up (legends, labels of buttons that name them).
		const user = new Set<string>();
		for (const el of document.querySelectorAll('[data-user-content], code, textarea, input, option[data-user-content]')) {
			for (const w of [...wordsOf(el.textContent), ...wordsOf((el as HTMLInputElement).value)]) user.add(w);
		}
		const found: string[] = [];
		const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!skip(n.parentElement)) found.push(...wordsOf(n.textContent).filter((w) => !user.has(w)));
		for (const el of root.querySelectorAll('[aria-label], [title], [placeholder]')) {
			if (el.closest('svg')) continue; // Plot's own mark descriptions, not shown
			for (const attr of ['aria-label', 'title', 'placeholder']) found.push(...wordsOf(el.getAttribute(attr)).filter((w) => !user.has(w)));
		}
		return found;
	}, selector);
	return [...new Set(words.filter((w) => !KEPT_IN_CHINESE.has(w)))];
}
