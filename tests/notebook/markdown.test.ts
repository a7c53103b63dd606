// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import createDOMPurify from 'dompurify';
import { renderMarkdown } from '../../src/lib/notebook/markdown';

const purify = createDOMPurify(window as unknown as Window & typeof globalThis);
const render = (md: string) => renderMarkdown(md, purify);

/** Payloads from the usual XSS cheat sheets: scripts, handlers, dangerous URLs, SVG. */
const PAYLOADS = [
	'<script>window.pwned = 1</script>',
	'<img src=x onerror="window.pwned = 1">',
	'<a href="javascript:window.pwned=1">click</a>',
	'[click](javascript:window.pwned=1)',
	'[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'<svg onload="window.pwned = 1"><circle r="5"/></svg>',
	'<svg><script>window.pwned = 1</script></svg>',
	'<iframe src="javascript:window.pwned=1"></iframe>',
	'<details open ontoggle="window.pwned = 1">x</details>',
	'<body onload="window.pwned = 1">',
	'<math><mtext><table><mglyph><style><img src=x onerror=window.pwned=1>',
	'<a href="JaVaScRiPt:window.pwned=1">x</a>',
	'<form action="javascript:window.pwned=1"><button>go</button></form>',
	'<div style="background:url(javascript:window.pwned=1)">x</div>'
];

describe('text cells render markdown safely', () => {
	it('renders ordinary markdown: headings, emphasis, lists, tables, links', () => {
		const html = render('# 留存\n\n**bold** and *em*\n\n- one\n- two\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[docs](https://example.org)');
		expect(html).toContain('<h1>留存</h1>');
		expect(html).toContain('<strong>bold</strong>');
		expect(html).toContain('<li>two</li>');
		expect(html).toContain('<td>2</td>');
		expect(html).toContain('href="https://example.org"');
		expect(html).toContain('rel="noopener noreferrer"');
	});

	for (const payload of PAYLOADS) {
		it(`neutralises ${payload.slice(0, 50)}`, () => {
			const host = document.createElement('div');
			host.innerHTML = render(payload);
			document.body.append(host);
			const html = host.innerHTML.toLowerCase();
			expect(html).not.toMatch(/<script|javascript:|data:text|onerror|onload|ontoggle|<iframe|<form/);
			for (const el of host.querySelectorAll('*')) {
				for (const attr of el.attributes) expect(attr.name.startsWith('on')).toBe(false);
			}
			expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
			host.remove();
		});
	}
});

describe('text cells load nothing from other sites (issue 17, item 10)', () => {
	it.each([
		'![tracker](https://tracker.example/pixel.png)',
		'<img src="https://tracker.example/pixel.png" alt="tracker">',
		'<img src="//tracker.example/pixel.png" alt="tracker">',
		'<img src=" HTTP://tracker.example/p.png" alt="tracker">',
		'<img src="/ok.png" srcset="https://tracker.example/p.png 2x" alt="tracker">',
		'<picture><source srcset="https://tracker.example/p.png"><img alt="tracker"></picture>',
		'<video poster="https://tracker.example/p.png" src="https://tracker.example/v.mp4"></video>'
	])('drops the remote source of %s', (markdown) => {
		const html = render(markdown);
		expect(html).not.toContain('tracker.example');
	});

	it('keeps the alt text, and an image from the app itself', () => {
		expect(render('![retention chart](https://tracker.example/p.png)')).toContain('alt="retention chart"');
		expect(render('![chart](/charts/retention.png)')).toContain('src="/charts/retention.png"');
	});
});
