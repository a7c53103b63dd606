/**
 * An optimise cell as something to run: its scenario cell's scenario (the
 * cell's seed, if set, overriding the scenario's) with the decisions checked
 * against it, and the scenario cell that carries the best values on.
 */
import type { Scenario } from '../engine/scenario/schema';
import { validateScenario, type ScenarioProblem } from '../engine/scenario/validate';
import { ExperimentError } from '../experiment/experiment';
import { checkDecisions, type OptimiseReport } from '../experiment/optimise/optimise';
import { optimiseSchema, type OptimiseSpec } from '../experiment/optimise/schema';
import { freshId } from './library';
import type { Cell, Notebook } from './schema';

export type OptimiseCell = Extract<Cell, { kind: 'optimise' }>;
type ScenarioCell = Extract<Cell, { kind: 'scenario' }>;

export type OptimiseResolution = { ok: true; base: Scenario; cell: OptimiseCell } | { ok: false; problems: ScenarioProblem[] };

/** The base scenario of an optimise cell, or the problems that stop it running, by path. */
export function resolveOptimiseCell(notebook: Notebook, cell: OptimiseCell): OptimiseResolution {
	const source = notebook.cells.find((c): c is ScenarioCell => c.id === cell.scenarioCell && c.kind === 'scenario');
	if (!source) return { ok: false, problems: [{ path: 'scenarioCell', message: `"${cell.scenarioCell}" is not a scenario cell` }] };
	const raw = cell.seed === undefined ? source.scenario : { ...source.scenario, seed: cell.seed };
	const result = validateScenario(raw);
	if (!result.ok) return { ok: false, problems: result.problems };
	try {
		checkDecisions(cell.design, result.scenario);
	} catch (error) {
		if (error instanceof ExperimentError) return { ok: false, problems: error.problems };
		throw error;
	}
	return { ok: true, base: result.scenario, cell };
}

/** A scenario cell holding the base scenario with the best values, ready for an experiment and its live-test rehearsal. */
export function bestScenarioCell(report: OptimiseReport): ScenarioCell | null {
	if (!report.bestScenario) return null;
	return { id: freshId('best'), kind: 'scenario', collapsed: false, scenario: structuredClone(report.bestScenario) as unknown as Record<string, unknown> };
}

/** Policy fields that say when or for whom, not how much: not a sensible first decision. */
const NOT_DECISIONS = new Set(['startDay', 'endDay']);

/** A first design for a new cell: the first numeric value of the scenario's first policy, searched from half to twice its value, for the most gross profit. */
export function defaultDesign(scenario: Record<string, unknown>): OptimiseSpec {
	const policies = Array.isArray(scenario.policies) ? (scenario.policies as Record<string, unknown>[]) : [];
	let decision = { parameter: '/economics/grossMargin', low: 0.2, high: 0.6 };
	search: for (const [i, policy] of policies.entries()) {
		for (const [key, value] of Object.entries(policy ?? {})) {
			if (typeof value === 'number' && value > 0 && !NOT_DECISIONS.has(key)) {
				decision = { parameter: `/policies/${i}/${key}`, low: value / 2, high: value <= 0.5 ? Math.min(1, value * 2) : value * 2 };
				break search;
			}
		}
	}
	return optimiseSchema.parse({ decisions: [decision], objective: { metric: 'grossProfit', goal: 'maximise' }, replications: 3, evaluations: 12 });
}
