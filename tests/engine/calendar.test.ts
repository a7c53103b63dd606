import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/lib/engine/calendar';
import { createStream, uniform } from '../../src/lib/engine/random';

/** The entries of a day, after sorting, in the order the loop visits them. */
function sortedDay(entries: number[]): number[] {
	const calendar = new Calendar(2);
	for (const agent of entries) calendar.schedule(agent, 1.5);
	calendar.sortDay(1);
	return Array.from({ length: calendar.length(1) }, (_, i) => calendar.entry(1, i));
}

describe('calendar', () => {
	it('visits a day in agent order, repeated entries included, however many and however large the indices', () => {
		const rng = createStream('calendar-test');
		// Few (comparison sort), many small (two radix passes), many large (three, the result copied back).
		for (const [count, range] of [[100, 1e3], [5000, 3e6], [5000, 2 ** 31 - 1]]) {
			const entries = Array.from({ length: count }, () => Math.floor(uniform(rng) * range));
			entries.push(entries[0], entries[1]);
			expect(sortedDay(entries)).toEqual([...entries].sort((a, b) => a - b));
		}
	});
});
