/** Which explanation of the classroom guide (teach.stage.*) a stage gets: by its id in the two shipped templates. */
import type { Stage } from '../engine/scenario/schema';

const EXPLAINED = ['aware', 'interested', 'considering', 'first_purchase', 'retained', 'advocate', 'dormant', 'churned', 'acquired', 'activated', 'converted', 'repurchasing'];

/** The explanation key of a stage, or null for a stage a user defined (its own description is shown instead). */
export function stageGuideKey(stage: Pick<Stage, 'id' | 'kind'>): string | null {
	// The five-stage template's "retained" has not paid yet: a different stage from the six-stage repeat buyer.
	if (stage.id === 'retained' && stage.kind === 'prospect') return 'retained_prospect';
	// The engine's lapsed and churned kinds mean the same whatever a scenario calls them.
	if (stage.kind === 'lapsed') return 'dormant';
	if (stage.kind === 'churned') return 'churned';
	return EXPLAINED.includes(stage.id) ? stage.id : null;
}
