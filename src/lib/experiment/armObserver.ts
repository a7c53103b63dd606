/**
 * What a live A/B test observes of one arm: only the arm's own users (the
 * people present on day 0, never the friends they bring), and only what a
 * platform sees (orders and their values, never latent churn). It is a
 * measurement policy: it books nothing and changes no rate.
 */
import type { Policy } from '../engine/policies/policy';
import type { Simulation } from '../engine/simulation';
import { NO_COLUMN, type PolicyColumn } from '../engine/population';

/** The platform metrics a test plan can use. */
export const TEST_METRICS = ['conversion', 'repurchase', 'gmvPerUser', 'retention'] as const;
export type TestMetric = (typeof TEST_METRICS)[number];

/** Per-user sums for one arm: enough for a two-proportion or a Welch test. */
export interface ArmStatistics {
	users: number;
	/** Σ x and Σ x² over users of the metric's per-user value (0/1 for proportions). */
	sum: number;
	sumOfSquares: number;
}

const RETENTION_WINDOW_DAYS = 30;

export class ArmObserver implements Policy {
	readonly id = 'arm-observer';
	readonly risks = [] as const;
	private orders: PolicyColumn = NO_COLUMN;
	private gmv: PolicyColumn = NO_COLUMN;
	private lastOrder: PolicyColumn = NO_COLUMN;
	private converted: PolicyColumn = NO_COLUMN;

	constructor(private readonly armSize: number) {}

	attach(sim: Simulation): void {
		const pop = sim.population;
		this.orders = pop.column('observer:orders');
		this.gmv = pop.column('observer:gmv');
		this.lastOrder = pop.column('observer:lastOrder');
		this.converted = pop.column('observer:converted');
	}

	onFirstPurchase(sim: Simulation, agent: number): void {
		// People placed as first-time buyers on day 0 bought before the test began.
		if (agent < this.armSize && sim.now > 0) this.converted.set(agent, 1);
	}

	onOrder(sim: Simulation, agent: number, time: number, orderValue: number): number {
		if (agent >= this.armSize) return 0;
		this.orders.add(agent, 1);
		this.gmv.add(agent, orderValue);
		this.lastOrder.set(agent, time + 1); // +1 so 0 means "never"
		return 0;
	}

	/** The arm's sums for a metric, after the run. */
	statistics(sim: Simulation, metric: TestMetric): ArmStatistics {
		const end = sim.model.horizonDays;
		let sum = 0;
		let sumOfSquares = 0;
		for (let a = 0; a < this.armSize; a++) {
			let x: number;
			if (metric === 'conversion') x = this.converted.get(a);
			else if (metric === 'repurchase') x = this.orders.get(a) >= 2 ? 1 : 0;
			else if (metric === 'gmvPerUser') x = this.gmv.get(a);
			else x = this.lastOrder.get(a) > 0 && this.lastOrder.get(a) - 1 >= end - RETENTION_WINDOW_DAYS ? 1 : 0;
			sum += x;
			sumOfSquares += x * x;
		}
		return { users: this.armSize, sum, sumOfSquares };
	}
}
