/**
 * Vitest global setup: names the folder that lets browser test files build
 * the app once per run (tests/browser/harness.ts), removes it when the run
 * ends, and removes those left by runs that were killed.
 */
import { readdirSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		browserBuildLock: string;
	}
}

const svelteKit = new URL('../../.svelte-kit/', import.meta.url).pathname;

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Provides this run's lock folder name; returns the teardown that removes it. */
export default function setup(project: TestProject): () => void {
	let names: string[] = [];
	try {
		names = readdirSync(svelteKit);
	} catch {
		// no .svelte-kit yet: nothing left behind
	}
	for (const name of names) {
		const m = /^browser-build-(\d+)$/.exec(name);
		if (m && !alive(Number(m[1]))) rmSync(svelteKit + name, { recursive: true, force: true });
	}
	const lock = `${svelteKit}browser-build-${process.pid}`;
	project.provide('browserBuildLock', lock);
	return () => rmSync(lock, { recursive: true, force: true });
}
