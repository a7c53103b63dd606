/**
 * An optimisation's trade-off frontier: every evaluated setting as a dot at
 * (binding constraint's KPI, objective), settings that break a constraint
 * hollow, the frontier (nothing better in the objective for less of the
 * constrained KPI) as a line, the bound as a rule and the chosen best ringed.
 * Without constraints it shows the objective by evaluation, in search order.
 */
import * as Plot from '@observablehq/plot';
import type { OptimiseReport } from '../experiment/optimise/optimise';
import { compactNumber } from './format';

export interface FrontierOptions {
	/** A finished report, or the search so far (no frontier or best yet). */
	report: Pick<OptimiseReport, 'objective' | 'constraints' | 'history' | 'frontier' | 'bindingConstraint' | 'best'>;
	objectiveLabel: string;
	/** Axis label of the binding constraint's KPI, or of the evaluation number when there is none. */
	xLabel: string;
	feasibleLabel: string;
	infeasibleLabel: string;
	bestLabel: string;
	width?: number;
}

/** The chart as an element; data in, element out. */
export function optimiseFrontier({ report, objectiveLabel, xLabel, feasibleLabel, infeasibleLabel, bestLabel, width = 760 }: FrontierOptions): SVGSVGElement | HTMLElement {
	const metric = report.objective.metric;
	const binding = report.bindingConstraint;
	const bound = report.constraints.find((c) => c.metric === binding);
	const dots = report.history
		.filter((h) => h.kpis[metric].mean !== null && (!binding || h.kpis[binding].mean !== null))
		.map((h) => ({ index: h.index, x: binding ? h.kpis[binding].mean! : h.index + 1, y: h.kpis[metric].mean!, status: h.feasible ? feasibleLabel : infeasibleLabel }));
	const frontier = report.frontier.map((i) => dots.find((d) => d.index === i)).filter((d) => d !== undefined);
	const best = report.best ? dots.filter((d) => d.index === report.best!.evaluation) : [];
	return Plot.plot({
		width,
		height: 360,
		marginLeft: 70,
		x: { label: xLabel, grid: true, tickFormat: binding ? compactNumber : undefined },
		y: { label: objectiveLabel, grid: true, tickFormat: compactNumber },
		color: { domain: [feasibleLabel, infeasibleLabel], range: ['#4e79a7', '#e15759'], legend: true },
		marks: [
			bound ? Plot.ruleX([bound.atMost ?? bound.atLeast!], { stroke: '#999', strokeDasharray: '4,3' }) : null,
			binding ? Plot.line(frontier, { x: 'x', y: 'y', stroke: '#4e79a7', strokeOpacity: 0.6, curve: 'step-after' }) : null,
			Plot.dot(
				dots.filter((d) => d.status === feasibleLabel),
				{ x: 'x', y: 'y', fill: 'status', r: 3.5, tip: true, title: (d: (typeof dots)[number]) => `#${d.index + 1}\n${objectiveLabel}: ${compactNumber(d.y)}` }
			),
			Plot.dot(
				dots.filter((d) => d.status !== feasibleLabel),
				{ x: 'x', y: 'y', stroke: 'status', fill: 'none', r: 3.5, tip: true, title: (d: (typeof dots)[number]) => `#${d.index + 1}\n${objectiveLabel}: ${compactNumber(d.y)}` }
			),
			Plot.dot(best, { x: 'x', y: 'y', r: 8, stroke: '#111', strokeWidth: 2 }),
			Plot.text(best, { x: 'x', y: 'y', text: () => bestLabel, dy: -14, fontWeight: 'bold' })
		]
	});
}
