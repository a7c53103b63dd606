/**
 * Birthday benefit: each customer's birthday is drawn once, at the first
 * purchase; on it the benefit is sent (a cost, to every customer the business
 * knows, including those who have silently left) and for durationDays the
 * customer buys faster.
 */
import type { Model } from '../model';
import { uniform } from '../random';
import type { PolicyOf } from '../scenario/schema';
import { RISK_PURCHASE, type Policy, type SimulationView } from './policy';
import { Scope } from './scope';
import { NO_COLUMN, type PolicyColumn } from '../population';
import { COST_ROW } from '../output';

/** Rows booked into, looked up once (see SimulationView.bookCost). */
const CAMPAIGN = COST_ROW.campaign;

const YEAR = 365;

export class BirthdayBenefit implements Policy {
	readonly id: string;
	readonly risks = ['purchase'] as const;
	/** Its timers start at a purchase. */
	readonly buyersOnly = true;
	private readonly scope: Scope;
	/** Columns: birthday as a day of the year + 1 (0 = not a customer yet); the last year whose benefit was sent + 1. */
	private birthday: PolicyColumn = NO_COLUMN;
	private sentYear: PolicyColumn = NO_COLUMN;

	constructor(
		private readonly config: PolicyOf<'birthdayBenefit'>,
		model: Model
	) {
		this.id = config.id;
		this.scope = new Scope(config, model);
	}

	attach(sim: SimulationView): void {
		this.birthday = sim.population.column(`birthday:${this.id}:day`);
		this.sentYear = sim.population.column(`birthday:${this.id}:sent`);
	}

	onFirstPurchase(sim: SimulationView, agent: number): void {
		if (this.scope.covers(sim, agent)) this.birthday.set(agent, Math.floor(uniform(sim.rng) * YEAR) + 1);
	}

	/** Start of the agent's birthday window in the year that contains `time` or the last one before it. */
	private windowStart(sim: SimulationView, agent: number, time: number): number {
		const day = this.birthday.get(agent) - 1;
		const since = time - day;
		// Within a year either side, the quotient's floor is 0 or −1 (the division rounds no |since| < YEAR onto ±1): skip the division, asked on every event.
		if (since >= 0 && since < YEAR) return day;
		if (since < 0 && since >= -YEAR) return day - YEAR;
		return day + YEAR * Math.floor(since / YEAR);
	}

	private inWindow(sim: SimulationView, agent: number, time: number): boolean {
		if (this.birthday.get(agent) === 0 || !this.scope.isOpen(time)) return false;
		return time < this.windowStart(sim, agent, time) + this.config.durationDays;
	}

	deadline(sim: SimulationView, agent: number): number {
		if (this.birthday.get(agent) === 0) return Infinity;
		const now = sim.now;
		const start = this.windowStart(sim, agent, now);
		// In the window (inWindow, with the start already in hand): send at once if not yet sent this year; otherwise wake when it closes.
		if (this.scope.isOpen(now) && now < start + this.config.durationDays) {
			return this.sentYear.get(agent) === Math.floor(start / YEAR) + 1 ? start + this.config.durationDays : now;
		}
		const next = start + YEAR > now ? start + YEAR : start + 2 * YEAR;
		return Math.max(next, this.scope.startDay) < this.scope.endDay ? next : Infinity;
	}

	onDeadline(sim: SimulationView, agent: number, time: number): void {
		if (!this.inWindow(sim, agent, time)) return;
		const year = Math.floor(this.windowStart(sim, agent, time) / YEAR) + 1;
		if (this.sentYear.get(agent) === year) return;
		this.sentYear.set(agent, year);
		sim.bookCost(CAMPAIGN, time, this.config.benefitCost);
	}

	rateMultiplier(sim: SimulationView, agent: number, risk: number): number {
		return risk === RISK_PURCHASE && this.inWindow(sim, agent, sim.now) ? this.config.purchaseRateMultiplier : 1;
	}
}
