import { describe, expect, it } from 'vitest';
import { createShardSimulation } from '../../src/lib/engine/run';
import { builtIn } from '../helpers/scenarios';

const task = { replication: 0, shard: 0 };

describe('placing the day-0 people', () => {
	it('leaves someone in a stage with nothing to draw exactly as a draw would', () => {
		const scenario = builtIn('industry-average', (raw) => {
			raw.population.initial = 2000;
			raw.stages.push({ id: 'idle', kind: 'prospect', labels: { en: 'Idle', 'zh-CN': '沉睡' }, transitions: [] });
			const half = Object.fromEntries(Object.entries(raw.population.initialStages).map(([id, share]) => [id, share / 2]));
			raw.population.initialStages = { ...half, idle: 0.5 };
		});
		const sim = createShardSimulation(scenario, task);
		const pop = sim.population;
		const idle = scenario.stages.length - 1;
		let checked = 0;
		for (let a = 0; a < pop.size; a++) {
			if (pop.stage[a] !== idle) continue;
			const record = pop.u8.slice(a * pop.stride, (a + 1) * pop.stride);
			sim.redraw(a, 0);
			expect(pop.u8.slice(a * pop.stride, (a + 1) * pop.stride)).toEqual(record);
			checked++;
		}
		expect(checked).toBeGreaterThan(500);
	});
});
