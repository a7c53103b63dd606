/** A classroom's populations from a raw scenario: one, or two with the same seed when a comparison patch is given. */
import type { ScenarioProblem } from '../engine/scenario/validate';
import { classroomScenario } from './classroomScenario';
import { ClassroomModel } from './classroomModel';

export type ClassroomSetup = { ok: true; models: ClassroomModel[] } | { ok: false; problems: ScenarioProblem[] };

/** The base population, and beside it the same people under the patched scenario. */
export function setUpClassroom(raw: unknown, agents: number, compare?: Record<string, unknown>): ClassroomSetup {
	const base = classroomScenario(raw, agents);
	if (!base.ok) return base;
	if (!compare) return { ok: true, models: [new ClassroomModel(base.scenario)] };
	const patched = classroomScenario(raw, agents, compare);
	if (!patched.ok) return { ok: false, problems: patched.problems.map((p) => ({ ...p, path: `compare: ${p.path}` })) };
	return { ok: true, models: [new ClassroomModel(base.scenario), new ClassroomModel(patched.scenario)] };
}
