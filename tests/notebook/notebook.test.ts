import { describe, expect, it } from 'vitest';
import { dependents, exportNotebook, importNotebook, NotebookImportError, validateNotebook } from '../../src/lib/notebook/notebook';
import type { NotebookInput } from '../../src/lib/notebook/schema';
import { formatProblem } from '../../src/lib/engine/scenario/validate';
import { readdirSync, readFileSync } from 'node:fs';
import { resolveExperimentCell } from '../../src/lib/notebook/experimentCell';

const scenario = JSON.parse(readFileSync(new URL('../../scenarios/six-stage.json', import.meta.url), 'utf8'));

function notebook(): NotebookInput {
	return {
		schema: 'lifecycle-lab/notebook@1',
		id: 'nb-1',
		title: 'Win-back: is automation worth it?',
		createdAt: '2026-11-23T10:00:00.000Z',
		updatedAt: '2026-11-23T10:05:00.000Z',
		cells: [
			{ id: 'intro', kind: 'text', markdown: '# Why\nA **question**.' },
			{ id: 'base', kind: 'scenario', scenario },
			{ id: 'ab', kind: 'experiment', scenarioCell: 'base', variants: [{ name: 'a' }, { name: 'b', patch: { dormancyDays: 60 } }] },
			{ id: 'chart', kind: 'chart', source: 'ab', view: 'metricBand', series: 'gmv' },
			{ id: 'table', kind: 'kpis', source: 'ab' },
			{ id: 'plan', kind: 'testPlan', source: 'ab', metric: 'repurchase' }
		]
	};
}

describe('the notebook document', () => {
	it('an edit to a scenario cell makes its experiment and everything showing it stale, not the text', () => {
		const result = validateNotebook(notebook());
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(dependents(result.notebook, 'base')).toEqual(['ab', 'chart', 'table', 'plan']);
		expect(dependents(result.notebook, 'ab')).toEqual(['chart', 'table', 'plan']);
		expect(dependents(result.notebook, 'intro')).toEqual([]);
	});

	it('exports and imports back losslessly', () => {
		const result = validateNotebook(notebook());
		if (!result.ok) throw new Error('invalid');
		const text = exportNotebook(result.notebook);
		expect(importNotebook(text)).toEqual(result.notebook);
		expect(exportNotebook(importNotebook(text))).toBe(text);
	});

	it('refuses a corrupt file with every problem by path, importing nothing', () => {
		const broken = notebook();
		(broken.cells[3] as { source: string }).source = 'nowhere';
		(broken.cells[2] as { scenarioCell: string }).scenarioCell = 'intro';
		broken.cells.push({ id: 'intro', kind: 'text', markdown: '' });
		try {
			importNotebook(JSON.stringify(broken));
			throw new Error('imported');
		} catch (error) {
			expect(error).toBeInstanceOf(NotebookImportError);
			expect((error as NotebookImportError).problems.map(formatProblem)).toEqual([
				'cells[6].id: duplicate cell id "intro"',
				'cells[2].scenarioCell: must name a scenario cell, "intro" is a text cell',
				'cells[3].source: must name an experiment cell, "nowhere" is not in the notebook'
			]);
		}
		expect(() => importNotebook('{"schema": "lifecycle-lab/notebook@1", "cells": [')).toThrow(/not JSON/);
		expect(() => importNotebook(JSON.stringify({ ...notebook(), schema: 'lifecycle-lab/notebook@7' }))).toThrow('schema: must be one of "lifecycle-lab/notebook@1", got "lifecycle-lab/notebook@7"');
	});
});

describe('the example notebooks in scenarios/notebooks', () => {
	const dir = new URL('../../scenarios/notebooks/', import.meta.url);
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
		it(`${file} is a valid notebook whose scenarios and experiments resolve`, () => {
			const result = validateNotebook(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
			expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
			if (!result.ok) return;
			for (const cell of result.notebook.cells) {
				if (cell.kind !== 'experiment') continue;
				const resolution = resolveExperimentCell(result.notebook, cell);
				expect(resolution.ok ? [] : resolution.problems.map(formatProblem)).toEqual([]);
			}
		});
	}
});
