/** Fixed operating cost (staff, tools): a cost per day inside a window, acting on no one. */
import type { PolicyOf } from '../scenario/schema';
import type { Policy, SimulationView } from './policy';
import { COST_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const FIXED = COST_ROW.fixed;

export class FixedCost implements Policy {
	readonly id: string;
	private readonly endDay: number;

	constructor(
		private readonly config: PolicyOf<'fixedCost'>,
		horizonDays: number
	) {
		this.id = config.id;
		this.endDay = config.endDay ?? horizonDays;
	}

	beginDay(sim: SimulationView, day: number): void {
		if (day < this.config.startDay || day >= this.endDay) return;
		sim.bookCost(FIXED, day, this.config.costPerDay * sim.shardShare);
	}
}
