/**
 * A measurement policy that writes down every order as a transaction log
 * (customer, day, amount), as a shop's order system would: the engine's
 * customers exported for the synthetic round trip (simulate with known
 * parameters, fit, compare). It books nothing and changes no rate.
 */
import type { Policy } from '../engine/policies/policy';
import type { Simulation } from '../engine/simulation';
import type { TransactionLog } from './transactions';

export class TransactionRecorder implements Policy {
	readonly id = 'transaction-recorder';
	readonly risks = [] as const;
	private customer: number[] = [];
	private day: number[] = [];
	private amount: number[] = [];

	/** `firstDay` is the calendar day number of simulated day 0. */
	constructor(private readonly firstDay: number) {}

	onOrder(_sim: Simulation, agent: number, time: number, orderValue: number): number {
		this.customer.push(agent);
		this.day.push(this.firstDay + Math.floor(time));
		this.amount.push(orderValue);
		return 0;
	}

	/** Everything recorded, as a transaction log with customer ids "0", "1", …. */
	log(): TransactionLog {
		const ids = [...new Set(this.customer)].sort((a, b) => a - b);
		const index = new Map(ids.map((id, i) => [id, i]));
		return {
			customerIds: ids.map(String),
			customer: Int32Array.from(this.customer, (c) => index.get(c)!),
			day: Int32Array.from(this.day),
			amount: Float64Array.from(this.amount),
			length: this.customer.length,
			rows: this.customer.length,
			badRows: [],
			badCount: 0
		};
	}
}
