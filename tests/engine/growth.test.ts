/**
 * The memory guard sees referral growth (issue 17, item 5): with every
 * customer inviting daily and every friend converting, 2,000 people for 60
 * days grew past 3.5 GB while the estimate counted only the inflow. A pilot
 * of the scenario measures the growth before the run, and a hard cap where
 * people are added stops a run that outgrows it, with the figure.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateRunMemory, referralGrowth, RunawayGrowthError } from '../../src/lib/engine/growth';
import { estimateMemory, GROWTH_LIMIT } from '../../src/lib/engine/memory';
import { Population, PopulationCapError } from '../../src/lib/engine/population';
import { createShardSimulation, shardCount } from '../../src/lib/engine/run';
import { validateScenario } from '../../src/lib/engine/scenario/validate';
import type { Scenario } from '../../src/lib/engine/scenario/schema';
import { planRun } from '../../src/lib/components/simulationRun.svelte';
import { root } from '../helpers/cli';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/small-six-stage.json', import.meta.url), 'utf8'));

/** The case: every customer stage invites, daily, and every invitation converts. */
function runawayRaw(horizonDays = 60): Record<string, unknown> {
	const raw = structuredClone(fixture);
	for (const stage of raw.stages) if (stage.kind === 'customer') stage.invites = true;
	for (const segment of raw.segments) segment.referral = { invitesPerYear: 365, conversion: 1 };
	return { ...raw, horizonDays, population: { ...raw.population, initial: 2000 } };
}

function valid(raw: unknown): Scenario {
	const result = validateScenario(raw);
	if (!result.ok) throw new Error('invalid scenario');
	return result.scenario;
}

describe('the memory guard bounds the population as it grows', () => {
	it('a pilot measures runaway referral growth before the run, and the run is refused with the reason', () => {
		const scenario = valid(runawayRaw());
		expect(referralGrowth(scenario)).toBeGreaterThanOrEqual(GROWTH_LIMIT);
		expect(() => estimateRunMemory(scenario, 1, 1, 1)).toThrow(RunawayGrowthError);
		expect(() => estimateRunMemory(scenario, 1, 1, 1)).toThrow(/referrals multiply this scenario's population more than 50-fold/);
		expect(planRun(scenario, 1, 1)).toEqual({ kind: 'runaway' });
	});

	it('moderate referral growth is measured and counted in the estimate, not refused', () => {
		const raw = structuredClone(fixture);
		for (const segment of raw.segments) segment.referral = { invitesPerYear: 52, conversion: 0.5 };
		const scenario = valid({ ...raw, horizonDays: 365 });
		const growth = referralGrowth(scenario);
		expect(growth).toBeGreaterThan(1.05);
		expect(growth).toBeLessThan(GROWTH_LIMIT);
		const shards = shardCount(scenario.population.initial);
		expect(estimateRunMemory(scenario, shards, shards, 1).agentsPerShard).toBeGreaterThan(estimateMemory(scenario, shards, shards, 1).agentsPerShard);
		// Without referrals there is nothing to measure.
		const none = valid({ ...fixture, segments: fixture.segments.map((s: object) => ({ ...s, referral: { invitesPerYear: 0, conversion: 0 } })) });
		expect(referralGrowth(none)).toBe(1);
	});

	it('a run that outgrows its cap stops with the figure, where people are added', () => {
		const population = new Population(16);
		population.maxAgents = 40;
		expect(() => {
			for (let i = 0; i < 41; i++) population.add(0, 0, 0, 0, i);
		}).toThrow(new PopulationCapError(40));
		expect(population.size).toBe(40);
		expect(new PopulationCapError(40).message).toMatch(/^the population grew past 40 people in one shard \(about [\d.]+ GB\)/);
		// The engine's own cap, with no pilot in front of it: the runaway scenario, run longer, stops instead of growing for gigabytes.
		const simulation = createShardSimulation(valid(runawayRaw(120)), { replication: 0, shard: 0 });
		expect(() => simulation.run()).toThrow(PopulationCapError);
		expect(simulation.population.size).toBeLessThanOrEqual(simulation.population.maxAgents);
	});

	it('the CLI refuses the runaway scenario with exit 2 and the reason', async () => {
		const path = join(mkdtempSync(join(tmpdir(), 'lifecycle-growth-')), 'runaway.json');
		writeFileSync(path, JSON.stringify(runawayRaw()));
		// Killed after a minute: today's code grows for gigabytes instead of refusing.
		const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
			execFile(process.execPath, ['src/cli/launch.mjs', 'main', 'run', path, '--workers', '1'], { cwd: root, timeout: 60_000 }, (error, _out, stderr) =>
				resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr })
			)
		);
		expect(result.stderr).toMatch(/^error: referrals multiply this scenario's population more than 50-fold/);
		expect(result.code).toBe(2);
	});
});
