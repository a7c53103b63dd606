/**
 * Text cells: markdown rendered by marked and sanitised by DOMPurify, so no
 * script, event handler, javascript: or data: link, or SVG payload survives;
 * links open in a new tab without access to this page. Images from another
 * site are dropped (their alt text stays): loading one would tell that site
 * who opened the notebook, and when. The CSP blocks them too; this does not
 * rely on it.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

let configured = false;

function configure(purify: typeof DOMPurify): void {
	if (configured) return;
	configured = true;
	purify.addHook('afterSanitizeAttributes', (node) => {
		if (node.tagName === 'IMG' && isRemote(node.getAttribute('src'))) {
			// An image without a source loads nothing; its alt text still reads.
			node.removeAttribute('src');
		}
		if (node.tagName === 'A' && node.getAttribute('href')) {
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer');
		}
	});
}

/** True for a source on another site: an absolute http(s) or protocol-relative address, or none at all that a browser could resolve. */
function isRemote(src: string | null): boolean {
	return src !== null && !/^(?:\/(?!\/)|\.\/|#)/.test(src.trim());
}

/** Safe HTML for a text cell's markdown. `purify` is DOMPurify bound to a window (the page's, or jsdom's in tests). */
export function renderMarkdown(markdown: string, purify: typeof DOMPurify = DOMPurify): string {
	configure(purify);
	const html = marked.parse(markdown, { async: false, gfm: true });
	return purify.sanitize(html, {
		USE_PROFILES: { html: true },
		// Media elements other than img would fetch from other sites too; text cells do not need them.
		FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'picture', 'source', 'video', 'audio', 'track'],
		// Inline styles can carry url(...) payloads and overlay the page; srcset would fetch what src no longer does.
		FORBID_ATTR: ['style', 'srcset'],
		ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/|\.\/)/i
	});
}
