// The workbench is a static app: every page is prerendered and everything runs in the browser.
export const prerender = true;
