/**
 * Who and when a policy covers: its segments and its [startDay, endDay)
 * window. Policies that change rates redraw the people they cover when the
 * window opens and closes, so the change takes effect at that moment.
 */
import type { Model } from '../model';
import type { SimulationView } from './policy';

export interface ScopeConfig {
	segments?: string[];
	startDay: number;
	endDay?: number;
}

export class Scope {
	readonly startDay: number;
	readonly endDay: number;
	private readonly covered: Uint8Array;
	/** True when every segment is covered: applies() then reads no segment. */
	private readonly everyone: boolean;

	constructor(config: ScopeConfig, model: Model) {
		this.startDay = config.startDay;
		this.endDay = Math.min(config.endDay ?? model.horizonDays, model.horizonDays);
		this.covered = Uint8Array.from(model.segmentIds, (id) => (!config.segments || config.segments.includes(id) ? 1 : 0));
		this.everyone = !this.covered.includes(0);
	}

	/** True while the window is open at `time`. */
	isOpen(time: number): boolean {
		return time >= this.startDay && time < this.endDay;
	}

	/** True when the agent's segment is covered. */
	covers(sim: SimulationView, agent: number): boolean {
		return this.everyone || this.covered[sim.population.segment[agent]] === 1;
	}

	/** True when the agent is covered and the window is open now. */
	applies(sim: SimulationView, agent: number): boolean {
		return this.isOpen(sim.now) && (this.everyone || this.covered[sim.population.segment[agent]] === 1);
	}

	/** True on the days the window opens or closes. */
	isBoundary(day: number): boolean {
		return day === this.startDay || day === this.endDay;
	}

	/** Redraws every covered agent that `affected` selects (at a window boundary). */
	redrawCovered(sim: SimulationView, time: number, affected: (agent: number) => boolean): void {
		const pop = sim.population;
		for (let a = 0; a < pop.size; a++) {
			if (this.covered[pop.segment[a]] === 1 && affected(a)) sim.redraw(a, time);
		}
	}
}
