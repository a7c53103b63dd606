import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './tests/slowFirstSequencer';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	test: {
		include: ['tests/**/*.test.ts'],
		reporters: ['default', './tests/summaryReporter.ts'],
		// Names (and afterwards removes) the folder the browser tests build the app under once per run.
		globalSetup: ['./tests/browser/buildLock.ts'],
		environment: 'node',
		// Both cores: the slow files (reported figures, policies, browser) then run side by side.
		maxWorkers: 2,
		// A worker keeps the modules it has loaded from one test file to the next: a fresh process per file cost
		// 2-4 s each under load, a fifth of the suite. No test file changes a global that another one reads.
		isolate: false,
		sequence: { sequencer: SlowFirstSequencer },
		testTimeout: 120_000,
		hookTimeout: 60_000
	}
});
