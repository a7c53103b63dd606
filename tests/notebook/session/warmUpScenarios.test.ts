import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { warmUpScenarios } from '../../../src/lib/components/notebook/session/warmUpScenarios';
import { validateNotebook } from '../../../src/lib/notebook/notebook';

function example(file: string) {
	const result = validateNotebook(JSON.parse(readFileSync(new URL(`../../../scenarios/notebooks/${file}`, import.meta.url), 'utf8')));
	if (!result.ok) throw new Error(`invalid example ${file}`);
	return result.notebook;
}

describe('the scenarios that warm the workers while a notebook is idle', () => {
	it('are every run of the experiments in notebook order, each content once, at most six', () => {
		// Lesson 4's three variants share their policies but not what runs (one has its referral programme off): all three warm.
		const lesson4 = warmUpScenarios(example('lesson-4-referral-loops.en.json'));
		expect(lesson4).toHaveLength(3);
		expect(new Set(lesson4.map((s) => JSON.stringify(s))).size).toBe(3);
		// Lesson 6 runs the same two scenarios twice (paired and unpaired): each is warmed once.
		expect(warmUpScenarios(example('lesson-6-reading-ab-results.en.json'))).toHaveLength(2);
		// The points example's sweep has nine cells: the first six, at the example's own size.
		const points = warmUpScenarios(example('points-en.json'));
		expect(points).toHaveLength(6);
		expect(points.every((s) => s.population.initial === 10_000)).toBe(true);
	});

	it('are none for a notebook without experiments', () => {
		const notebook = example('win-back-en.json');
		expect(warmUpScenarios({ ...notebook, cells: notebook.cells.filter((c) => c.kind !== 'experiment') })).toEqual([]);
	});
});
