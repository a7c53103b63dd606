import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, sim } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'lifecycle-fit-'));

const rate = '/stages/2/transitions/0/dailyProbability';
const truth = 0.06;
const truthFile = join(dir, 'truth.json');
const startFile = join(dir, 'start.json');
const observedFile = join(dir, 'observed.csv');

/** Six-stage, small: 4,000 people, light inflow, eight weeks. */
function smallScenario(considerToBuy: number): string {
	const s = JSON.parse(readFileSync(join(root, 'scenarios/six-stage.json'), 'utf8'));
	s.population.initial = 4000;
	s.horizonDays = 56;
	s.channels[0].prospectsPerDay = 150;
	s.channels[1].prospectsPerDay = 30;
	s.stages[2].transitions[0].dailyProbability = considerToBuy;
	return JSON.stringify(s);
}

describe('npm run sim -- fit-simulation', () => {
	beforeAll(async () => {
		writeFileSync(truthFile, smallScenario(truth));
		writeFileSync(startFile, smallScenario(0.02));
		// "Observed": the CLI's own run of the true scenario, with a seed the fit never uses, summed by week.
		const daily = (await sim('run', truthFile, '--seed', '999', '--format', 'csv')).stdout.trim().split('\n');
		const column = daily[0].split(',').indexOf('newCustomers');
		const counts = daily.slice(1).map((line) => Number(line.split(',')[column]));
		const weeks = Array.from({ length: 8 }, (_, w) => counts.slice(7 * w, 7 * w + 7).reduce((s, x) => s + x, 0));
		writeFileSync(observedFile, `period,value\n${weeks.map((v, w) => `${w},${v}`).join('\n')}\n`);
	});

	it('recovers the considering → first purchase rate within 3 standard errors and writes the fitted scenario', async () => {
		const out = join(dir, 'fitted.json');
		const result = await sim('fit-simulation', startFile, '--observed', observedFile, '--param', `${rate}=0.001..0.3`, '--replications', '3', '--out', out);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const fit = JSON.parse(result.stdout);
		expect(fit).toMatchObject({ series: 'newCustomers', periodDays: 7, replications: 3, degreesOfFreedom: 7 });
		expect(fit.observed).toHaveLength(8);
		expect(fit.simulated).toHaveLength(8);
		expect(fit.evaluations).toBeGreaterThan(5);
		const se = fit.standardErrors[rate];
		expect(se).toBeGreaterThan(0);
		expect(Math.abs(fit.values[rate] - truth) / se).toBeLessThan(3);
		expect(fit.chiSquare / fit.degreesOfFreedom).toBeLessThan(3);
		const scenario = JSON.parse(readFileSync(out, 'utf8'));
		expect(scenario.stages[2].transitions[0].dailyProbability).toBe(fit.values[rate]);
		expect(scenario.horizonDays).toBe(56);
		expect(scenario.description.en).toMatch(/Fitted by simulation .* newCustomers per 7 days over 8 periods of observed\.csv: \/stages\/2\/transitions\/0\/dailyProbability = [\d.]+ ± [\d.]+; χ² = [\d.]+ on 7 degrees of freedom/);
		expect(scenario.description['zh-CN']).toMatch(/模拟拟合/);
	});

	it('counts first or repeat purchases per week from a transaction log when given one, over its first --periods weeks', async () => {
		const log = join(dir, 'log.csv');
		// Three weeks of 2024: three first purchases in each of the first two, one in the third; customer a buys again in the second.
		writeFileSync(log, 'customer_id,date,amount\na,2024-01-01,10\nb,2024-01-02,10\nc,2024-01-05,10\nd,2024-01-08,10\ne,2024-01-10,10\na,2024-01-11,10\nf,2024-01-14,10\ng,2024-01-21,10\n');
		const result = await sim('fit-simulation', startFile, '--observed-transactions', log, '--param', rate, '--replications', '1');
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout).observed).toEqual([3, 3, 1]);
		const repeat = await sim('fit-simulation', startFile, '--observed-transactions', log, '--series', 'repeatPurchases', '--periods', '2', '--param', rate, '--replications', '1');
		expect(JSON.parse(repeat.stdout).observed).toEqual([0, 1]);
	});

	const bad: [string, string[], RegExp][] = [
		['a pointer to nothing', ['--param', '/stages/2/transitions/7/dailyProbability'], /--param \/stages\/2\/transitions\/7\/dailyProbability: the scenario has nothing at this pointer/],
		['a pointer to a non-number', ['--param', '/name'], /--param \/name: the scenario has no number \(found "six-stage"\)/],
		['a value with no default bounds', ['--param', '/dormancyDays'], /--param \/dormancyDays: no default bounds for this value; give them as \/dormancyDays=low..high/],
		['bounds the schema refuses', ['--param', `${rate}=0.01..2`], /dailyProbability=0.01..2: the scenario is invalid within these bounds: stages\[2\]\.transitions\[0\]\.dailyProbability: must be less than 1/],
		['reversed bounds', ['--param', `${rate}=0.3..0.1`], /bounds must be low..high with low < high, got "0.3..0.1"/],
		['no parameter', [], /at least one --param/],
		['too few periods', ['--param', rate, '--periods', '1'], /--periods must be a whole number from 2 to 3650, got "1"/]
	];
	for (const [what, args, message] of bad) {
		it(`exits with code 2 and names ${what}`, async () => {
			const result = await sim('fit-simulation', startFile, '--observed', observedFile, ...args);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(message);
		});
	}

	it('exits with code 2 and names the line of a bad observed row', async () => {
		const broken = join(dir, 'broken.csv');
		writeFileSync(broken, 'period,value\n0,240\n1,24o\n2,218\n');
		const result = await sim('fit-simulation', startFile, '--observed', broken, '--param', rate);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/broken\.csv: line 3: value must be a count ≥ 0, got "24o"/);
		writeFileSync(broken, 'week,count\n0,1\n');
		expect((await sim('fit-simulation', startFile, '--observed', broken, '--param', rate)).stderr).toMatch(/line 1: the header must be "period,value"/);
		writeFileSync(broken, 'period,value\n0,1\n2,5\n');
		expect((await sim('fit-simulation', startFile, '--observed', broken, '--param', rate)).stderr).toMatch(/line 3: period must be 1/);
	});
});
