import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The workbench is static: everything runs in the browser, no server of its own.
		adapter: adapter({ fallback: '404.html' }),
		// No inline script and no eval: SvelteKit hashes its own start-up script, and a
		// prerendered page carries the policy in a <meta http-equiv> tag.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// The simulation runs in module Web Workers served beside the app.
				'worker-src': ['self'],
				// Svelte and Observable Plot set style attributes; styles cannot run code.
				'style-src': ['self', 'unsafe-inline'],
				// data: for inline SVG images, blob: for the chart PNG export (the SVG drawn onto a canvas).
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
