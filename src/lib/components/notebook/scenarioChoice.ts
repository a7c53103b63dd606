/** How a scenario cell is named where a cell picks one: its id and the scenario's label in the interface's language. */
import type { Cell } from '../../notebook/schema';

export function scenarioChoice(cell: Extract<Cell, { kind: 'scenario' }>, language: string): string {
	const scenario = cell.scenario as { name?: unknown; labels?: Record<string, unknown> };
	const label = scenario.labels?.[language] ?? scenario.name;
	return typeof label === 'string' && label ? `${cell.id} · ${label}` : cell.id;
}
