/**
 * Browser tests drive the built workbench in Debian's Chromium through
 * playwright-core (never a downloaded browser): build the static app, serve
 * it on localhost (from the test's own process, as vite preview serves it),
 * open pages. Whatever the harness starts (the server, a browser) it stops
 * on every path, by process id; whatever it creates (the build lock folder)
 * is removed when the run ends.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, normalize } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe, inject } from 'vitest';
import { stopProcess } from '../../src/cli/previewServer';

/** Where .ci/run installs Chromium, and where the tests look for it (CHROMIUM_PATH overrides both). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const flag = (v: string | undefined) => v !== undefined && !['', '0', 'false'].includes(v.toLowerCase());
/** In CI, or with LIFECYCLE_LAB_REQUIRE_BROWSER set, a missing browser fails the browser tests instead of skipping them. */
export const browserRequired = flag(process.env.CI) || flag(process.env.LIFECYCLE_LAB_REQUIRE_BROWSER);
/** Chromium's flags for every browser the tests start. */
export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const root = new URL('../../', import.meta.url).pathname;
const vite = `${root}node_modules/.bin/vite`;
/** How long a test file's beforeAll may spend in openWorkbench: the build can take minutes on a loaded machine. */
export const OPEN_TIMEOUT_MS = 420_000;

/**
 * describe() for a browser test file: run when Chromium is there or required
 * (then openWorkbench fails, naming the path); otherwise skipped, with the
 * reason in the suite's name.
 */
export function describeInBrowser(name: string, body: () => void): void {
	if (hasChromium || browserRequired) describe(name, body);
	else describe.skip(`${name} (skipped: no Chromium at ${CHROMIUM}; apt-get install -y chromium, or set CHROMIUM_PATH)`, body);
}

function requireChromium(): void {
	if (!hasChromium) throw new Error(`Chromium is required here (CI or LIFECYCLE_LAB_REQUIRE_BROWSER is set) but ${CHROMIUM} does not exist: .ci/run installs it with apt-get`);
}

export interface Workbench {
	url: string;
	browser: Browser;
	close(): Promise<void>;
}

/**
 * Builds the app once per test run: browser test files run in parallel
 * workers of one vitest process, so the first to take the lock (a folder the
 * global setup names, and removes when the run ends) builds and the others
 * wait for its marker.
 */
async function buildOnce(): Promise<void> {
	const lock = inject('browserBuildLock');
	try {
		mkdirSync(lock, { recursive: false });
	} catch {
		for (let i = 0; i < 4000 && !existsSync(`${lock}/done`) && !existsSync(`${lock}/failed`); i++) await new Promise((r) => setTimeout(r, 100));
		if (existsSync(`${lock}/failed`)) throw new Error(`the app build failed in another test file: ${readFileSync(`${lock}/failed`, 'utf8')}`);
		if (!existsSync(`${lock}/done`)) throw new Error('the app build by another test file did not finish within 400 s');
		return;
	}
	// A build outlives a test process that timed out unless the process takes it along.
	let build: ChildProcess | undefined;
	const killBuild = () => build?.kill('SIGKILL');
	process.once('exit', killBuild);
	try {
		const running = promisify(execFile)(vite, ['build', '--logLevel', 'error'], { cwd: root, maxBuffer: 16 << 20 });
		build = running.child;
		await running;
	} catch (error) {
		writeFileSync(`${lock}/failed`, String((error as Error).message));
		throw error;
	} finally {
		process.removeListener('exit', killBuild);
	}
	writeFileSync(`${lock}/done`, '');
}

/** Opens a new, empty notebook (its default cells) and waits until it has its id. */
export async function openNewNotebook(page: Page, bench: Workbench): Promise<void> {
	await page.goto(`${bench.url}notebook?new=1`);
	await page.getByRole('button', { name: 'Run all' }).waitFor();
	await page.waitForURL(/notebook\?id=nb-/);
}

/** Adds a cell of the kind named (its English button) at the end, from the + of the last add bar. */
export async function addCellAtEnd(page: Page, kind: string): Promise<void> {
	const addBar = page.getByRole('group', { name: 'Add a cell here' }).last();
	await addBar.getByRole('button', { name: 'Add a cell here' }).click();
	await addBar.getByRole('button', { name: kind }).click();
}

const build = `${root}build/`;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/**
 * Serves the static build as vite preview does: a file by its path, a page by
 * its name without .html, 404.html (with status 404) for anything else. In
 * this process, so each test file starts no server process (vite preview took
 * about 2 s to start, 4 s on a loaded machine) and none can be left behind.
 */
async function serveBuild(port: number): Promise<Server> {
	const server = createServer((request, response) => {
		let path: string;
		try {
			path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)); // from /: never above the build
		} catch {
			return void response.writeHead(400).end();
		}
		const candidates = path.endsWith('/') ? [`${path}index.html`] : [path, `${path}.html`];
		const file = candidates.map((c) => build + c.slice(1)).find((f) => existsSync(f) && statSync(f).isFile());
		const body = readFileSync(file ?? `${build}404.html`);
		response.writeHead(file ? 200 : 404, { 'content-type': TYPES[extname(file ?? '.html')] ?? 'application/octet-stream' });
		response.end(body);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	return server;
}

/** Builds the app (once), serves it and starts Chromium; stops the server again if anything fails. */
export async function openWorkbench(basePort: number): Promise<Workbench> {
	requireChromium();
	// Several checkouts on one machine run their browser tests side by side, each with its own offset.
	const port = basePort + Number(process.env.LIFECYCLE_LAB_PORT_OFFSET ?? 0);
	const url = `http://127.0.0.1:${port}/`;
	await buildOnce();
	const server = await serveBuild(port).catch((error: NodeJS.ErrnoException) => {
		throw error.code === 'EADDRINUSE' ? new Error(`something already listens at ${url}: stop it, or set LIFECYCLE_LAB_PORT_OFFSET`) : error;
	});
	const stopServer = () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections());
	let browser: Browser;
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
	} catch (error) {
		await stopServer();
		throw error;
	}
	return {
		url,
		browser,
		async close() {
			try {
				await browser.close();
			} finally {
				await stopServer();
			}
		}
	};
}

export interface OwnChromium {
	/** The browser's default context (the profile's). */
	context: BrowserContext;
	/** Ends this browser's main process with SIGKILL, by its process id, and waits until it has gone. */
	kill(): Promise<void>;
	/** Closes the browser; stops its process by id if closing does not. */
	close(): Promise<void>;
}

/**
 * Starts a Chromium of the test's own on a profile folder, so the test holds
 * its process id (to kill exactly that browser), and connects to it over the
 * DevTools protocol.
 */
export async function startChromium(profile: string, options: { width: number; height: number; lang: string }): Promise<OwnChromium> {
	requireChromium();
	const args = [...BROWSER_ARGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', `--window-size=${options.width},${options.height}`, `--lang=${options.lang}`, 'about:blank'];
	// Its own process group: a kill then reaches the helpers it started (renderers, network, GPU), which would otherwise live on and write into the profile.
	const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LANGUAGE: options.lang }, detached: true });
	const killGroup = () => {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			// The group is gone already.
		}
	};
	const killOnExit = killGroup;
	process.once('exit', killOnExit);
	try {
		// Chromium prints the DevTools address on standard error once it listens.
		const endpoint = await new Promise<string>((resolve, reject) => {
			let text = '';
			const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools address within 30 s:\n${text.slice(-1000)}`)), 30_000);
			child.stderr!.on('data', (chunk: Buffer) => {
				text += chunk.toString();
				const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
				if (m) {
					clearTimeout(timer);
					resolve(m[1]);
				}
			});
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`Chromium exited with code ${code} before listening:\n${text.slice(-1000)}`));
			});
		});
		const browser = await chromium.connectOverCDP(endpoint);
		const gone = async () => {
			if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
			process.removeListener('exit', killOnExit);
		};
		return {
			context: browser.contexts()[0],
			async kill() {
				killGroup();
				await gone();
			},
			async close() {
				await browser.close().catch(() => {});
				await stopProcess(child);
				killGroup();
				process.removeListener('exit', killOnExit);
			}
		};
	} catch (error) {
		await stopProcess(child);
		killGroup();
		process.removeListener('exit', killOnExit);
		throw error;
	}
}

/**
 * Arms an XSS detector in every page and frame of a context before any of
 * its documents load (an init script): a payload that runs sets
 * window.__xss, which reports to the test. Returns the count so far; it is
 * never reset, and a navigation does not lose it.
 */
export async function armXssDetector(context: BrowserContext): Promise<() => number> {
	let hits = 0;
	await context.exposeBinding('__xssHit', () => void hits++);
	await context.addInitScript(() => {
		let value = 0;
		Object.defineProperty(window, '__xss', {
			get: () => value,
			set: (v: number) => {
				value = v;
				(window as unknown as { __xssHit: () => void }).__xssHit();
			}
		});
	});
	return () => hits;
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
