/**
 * The report of a run of R replications: meta, daily bands, KPIs with 95%
 * intervals and the monthly cohort retention triangle. This is the JSON the
 * CLI writes and the workbench reads.
 */
import { COST_KINDS, SERIES, costSeries, seriesOf, stageSeries, TOTAL_AGENT_DAYS, TOTAL_EVENTS, type RunOutput } from '../engine/output';
import type { Scenario } from '../engine/scenario/schema';
import { ENGINE_VERSION } from '../engine/version';
import { KPI_NAMES, pointsLiability, pointsOutstanding, replicationKpis, type KpiName } from './kpis';
import { band, estimate, type Band, type Estimate } from './statistics';

export interface RunReport {
	meta: {
		engineVersion: string;
		scenario: string;
		seed: number;
		replications: number;
		days: number;
		population: number;
		currency: string;
		agentDays: number;
		events: number;
		wallSeconds: number;
	};
	daily: {
		day: number[];
		stages: Record<string, Band>;
		costs: Record<string, Band>;
	} & Record<string, Band | number[] | Record<string, Band>>;
	kpis: Record<KpiName, Estimate>;
	cohorts: CohortTriangle;
	/** Mean stage-to-stage moves per replication over the run: flows[from][to], stages in scenario order. */
	flows: number[][];
}

/** Share of each cohort buying in its m-th period after the first purchase (m = 0 is the first period). */
export interface CohortTriangle {
	periodDays: number;
	/** Start day of each cohort period. */
	start: number[];
	/** Mean first-time buyers per cohort across replications. */
	size: number[];
	/** retention[c][m], pooled over replications; rows shorten as later periods fall outside the horizon. */
	retention: (number | null)[][];
}

/** Builds the report from each replication's output (in replication order). */
export function buildReport(scenario: Scenario, outputs: RunOutput[], wallSeconds: number): RunReport {
	const days = scenario.horizonDays;
	const daily: RunReport['daily'] = {
		day: Array.from({ length: days }, (_, d) => d),
		stages: Object.fromEntries(scenario.stages.map((st, s) => [st.id, band(outputs.map((o) => stageSeries(o, s)), days)])),
		costs: Object.fromEntries(COST_KINDS.map((kind) => [kind, band(outputs.map((o) => costSeries(o, kind)), days)]))
	};
	for (const name of SERIES) daily[name] = band(outputs.map((o) => seriesOf(o, name)), days);
	daily.pointsOutstanding = band(outputs.map(pointsOutstanding), days);
	daily.pointsLiability = band(outputs.map((o) => pointsLiability(o, scenario)), days);

	const perReplication = outputs.map((o) => replicationKpis(o, scenario));
	const kpis = Object.fromEntries(KPI_NAMES.map((k) => [k, estimate(perReplication.map((r) => r[k]))])) as Record<KpiName, Estimate>;

	return {
		meta: {
			engineVersion: ENGINE_VERSION,
			scenario: scenario.name,
			seed: scenario.seed,
			replications: outputs.length,
			days,
			population: scenario.population.initial,
			currency: scenario.economics.currency,
			agentDays: outputs.reduce((s, o) => s + o.totals[TOTAL_AGENT_DAYS], 0),
			events: outputs.reduce((s, o) => s + o.totals[TOTAL_EVENTS], 0),
			wallSeconds
		},
		daily,
		kpis,
		cohorts: cohortTriangle(outputs),
		flows: meanFlows(outputs)
	};
}

function meanFlows(outputs: RunOutput[]): number[][] {
	const n = outputs[0].stageCount;
	return Array.from({ length: n }, (_, from) =>
		Array.from({ length: n }, (_, to) => outputs.reduce((s, o) => s + o.flows[from * n + to], 0) / outputs.length)
	);
}

/**
 * The retention triangle pooled over replications (Σ active / Σ size), over
 * the periods that lie wholly inside the horizon: a last, partial period
 * would show a retention that is only partly observed.
 */
export function cohortTriangle(outputs: RunOutput[]): CohortTriangle {
	const first = outputs[0];
	const stride = first.cohortPeriods;
	const periods = Math.floor(first.days / first.cohortPeriodDays);
	const size: number[] = [];
	const retention: (number | null)[][] = [];
	for (let c = 0; c < periods; c++) {
		let buyers = 0;
		for (const o of outputs) buyers += o.cohortSizes[c];
		size.push(buyers / outputs.length);
		const row: (number | null)[] = [];
		for (let period = c; period < periods; period++) {
			let active = 0;
			for (const o of outputs) active += o.cohortActive[c * stride + period];
			row.push(buyers > 0 ? active / buyers : null);
		}
		retention.push(row);
	}
	return {
		periodDays: first.cohortPeriodDays,
		start: Array.from({ length: periods }, (_, c) => c * first.cohortPeriodDays),
		size,
		retention
	};
}

/** The daily means as CSV: one row per day, one column per stage and series. */
export function dailyCsv(report: RunReport, stageIds: string[]): string {
	const columns: [string, number[]][] = [
		...stageIds.map((id): [string, number[]] => [`stage_${id}`, report.daily.stages[id].mean]),
		...SERIES.map((name): [string, number[]] => [name, (report.daily[name] as Band).mean]),
		['pointsOutstanding', (report.daily.pointsOutstanding as Band).mean],
		['pointsLiability', (report.daily.pointsLiability as Band).mean],
		...COST_KINDS.map((kind): [string, number[]] => [`cost_${kind}`, report.daily.costs[kind].mean])
	];
	const lines = [['day', ...columns.map(([name]) => name)].join(',')];
	report.daily.day.forEach((d, i) => lines.push([d, ...columns.map(([, values]) => values[i])].join(',')));
	return lines.join('\n') + '\n';
}
