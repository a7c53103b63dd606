/**
 * Browser tests drive the built workbench in Debian's Chromium through
 * playwright-core (never a downloaded browser): build the static app, serve
 * it on localhost with vite preview, open pages.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

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
export async function openWorkbench(port: number): Promise<Workbench> {
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
