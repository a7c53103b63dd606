/**
 * Where the gross profit goes: a waterfall from gross profit, down by each
 * kind of programme cost and by acquisition spend, to the net profit. A
 * reader sees which cost eats the margin, which the ROI figure alone hides.
 */
import * as Plot from '@observablehq/plot';
import type { RunReport } from '../experiment/report';
import type { Band } from '../experiment/statistics';
import { compactNumber } from './format';

export type WaterfallKind = 'start' | 'up' | 'down' | 'total';

export interface WaterfallStep {
	/** grossProfit, a cost kind (fixed, campaign, reward, points, tierBenefit), acquisitionSpend or netProfit. */
	key: string;
	label: string;
	/** The start and total as amounts; each step as a signed change (costs are negative). */
	value: number;
	kind: WaterfallKind;
}

function total(band: Band): number {
	return band.mean.reduce((s, x) => s + x, 0);
}

/**
 * The steps of a run's waterfall, from the mean daily series summed over the
 * run: gross profit, each non-zero cost kind and acquisition spend as steps,
 * and the net profit. `labels` maps each key to its text; a missing one shows the key.
 */
export function waterfallSteps(report: RunReport, labels: Record<string, string>): WaterfallStep[] {
	const step = (key: string, value: number, kind: WaterfallKind): WaterfallStep => ({ key, label: labels[key] ?? key, value, kind });
	const grossProfit = total(report.daily.grossProfit as Band);
	const changes = [
		...Object.entries(report.daily.costs).map(([kind, band]): [string, number] => [kind, -total(band)]),
		['acquisitionSpend', -total(report.daily.acquisitionSpend as Band)] as [string, number]
	]
		.filter(([, value]) => value !== 0)
		.map(([key, value]) => step(key, value, value > 0 ? 'up' : 'down'));
	const net = changes.reduce((s, c) => s + c.value, grossProfit);
	return [step('grossProfit', grossProfit, 'start'), ...changes, step('netProfit', net, 'total')];
}

const COLOURS: Record<WaterfallKind, string> = { start: '#4e79a7', total: '#4e79a7', up: '#59a14f', down: '#e15759' };

export interface CostWaterfallOptions {
	/** In drawing order, as waterfallSteps gives them; labels must differ. */
	steps: Pick<WaterfallStep, 'label' | 'value' | 'kind'>[];
	/** The money axis, e.g. its currency. */
	yLabel: string;
	valueFormat?: (value: number) => string;
	width?: number;
}

/** The chart as an element; data in, element out. */
export function costWaterfall({ steps, yLabel, valueFormat = compactNumber, width = 760 }: CostWaterfallOptions): SVGSVGElement | HTMLElement {
	let level = 0;
	const bars = steps.map(({ label, value, kind }) => {
		// The start and the total stand on zero; each step hangs from where the previous one ended.
		const from = kind === 'start' || kind === 'total' ? 0 : level;
		const to = from + value;
		level = to;
		return { label, value, kind, from, to };
	});
	type Bar = (typeof bars)[number];
	return Plot.plot({
		width,
		height: 320,
		marginLeft: 60,
		x: { domain: bars.map((b) => b.label), label: null },
		y: { label: yLabel, grid: true, tickFormat: valueFormat },
		marks: [
			Plot.barY(bars, {
				x: 'label',
				y1: 'from',
				y2: 'to',
				fill: { value: (b: Bar) => COLOURS[b.kind], scale: null },
				title: (b: Bar) => `${b.label}: ${valueFormat(b.value)}`,
				tip: true
			}),
			Plot.text(bars, { x: 'label', y: (b: Bar) => Math.max(b.from, b.to), text: (b: Bar) => valueFormat(b.value), dy: -4, lineAnchor: 'bottom' }),
			Plot.ruleY([0])
		]
	});
}
