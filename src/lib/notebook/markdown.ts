/**
 * Text cells: markdown rendered by marked and sanitised by DOMPurify, so no
 * script, event handler, javascript: or data: link, or SVG payload survives;
 * links open in a new tab without access to this page.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

let configured = false;

function configure(purify: typeof DOMPurify): void {
	if (configured) return;
	configured = true;
	purify.addHook('afterSanitizeAttributes', (node) => {
		if (node.tagName === 'A' && node.getAttribute('href')) {
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer');
		}
	});
}

/** Safe HTML for a text cell's markdown. `purify` is DOMPurify bound to a window (the page's, or jsdom's in tests). */
export function renderMarkdown(markdown: string, purify: typeof DOMPurify = DOMPurify): string {
	configure(purify);
	const html = marked.parse(markdown, { async: false, gfm: true });
	return purify.sanitize(html, {
		USE_PROFILES: { html: true },
		FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed'],
		// Inline styles can carry url(...) payloads and overlay the page; text cells do not need them.
		FORBID_ATTR: ['style'],
		ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/|\.\/)/i
	});
}
