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
		sequence: { sequencer: SlowFirstSequencer },
		testTimeout: 120_000,
		hookTimeout: 60_000
	}
});
