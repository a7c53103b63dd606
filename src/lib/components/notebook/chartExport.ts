/**
 * A chart as a file: the SVG Plot drew (with the page's font written in, so
 * it looks the same elsewhere), or that SVG rasterised at twice its size.
 */
import { download } from './download';

const FONT = "system-ui, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

/** The chart's main SVG (Plot may wrap it in a figure with an HTML legend). */
function chartSvg(host: Element): SVGSVGElement {
	const svgs = [...host.querySelectorAll('svg')].filter((s) => !s.closest('[class$="-swatches"]'));
	const svg = svgs.at(-1);
	if (!svg) throw new Error('no chart to export');
	return svg;
}

function svgText(host: Element): { text: string; width: number; height: number } {
	const svg = chartSvg(host).cloneNode(true) as SVGSVGElement;
	svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
	svg.style.fontFamily = FONT;
	svg.style.background = '#fff';
	const width = Number(svg.getAttribute('width')) || 760;
	const height = Number(svg.getAttribute('height')) || 400;
	return { text: new XMLSerializer().serializeToString(svg), width, height };
}

export function exportSvg(host: Element, filename: string): void {
	download(filename, new Blob([svgText(host).text], { type: 'image/svg+xml' }));
}

export async function exportPng(host: Element, filename: string, scale = 2): Promise<void> {
	const { text, width, height } = svgText(host);
	const image = new Image();
	image.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
	await image.decode();
	const canvas = document.createElement('canvas');
	canvas.width = width * scale;
	canvas.height = height * scale;
	const context = canvas.getContext('2d')!;
	context.fillStyle = '#fff';
	context.fillRect(0, 0, canvas.width, canvas.height);
	context.drawImage(image, 0, 0, canvas.width, canvas.height);
	URL.revokeObjectURL(image.src);
	const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
	if (blob) download(filename, blob);
}
