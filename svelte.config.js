import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The workbench is static: everything runs in the browser, no server of its own.
		adapter: adapter({ fallback: '404.html' })
	}
};

export default config;
