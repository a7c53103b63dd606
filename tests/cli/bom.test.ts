/**
 * Files saved by editors that start UTF-8 with a byte-order mark (Notepad
 * does) are read like any other (issue 17, item 10): the mark is not content.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sim } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'lifecycle-bom-'));
const withBom = (from: string, to: string) => writeFileSync(join(dir, to), '\uFEFF' + readFileSync(from, 'utf8'));

describe('a UTF-8 byte-order mark', () => {
	it('is accepted at the start of a scenario file, with the same result as without', async () => {
		withBom('tests/fixtures/small-six-stage.json', 'scenario.json');
		const args = ['--days', '30', '--population', '500', '--format', 'csv'];
		const [marked, plain] = await Promise.all([sim('run', join(dir, 'scenario.json'), ...args), sim('run', 'tests/fixtures/small-six-stage.json', ...args)]);
		expect(marked.stderr).toBe('');
		expect(marked.code).toBe(0);
		expect(marked.stdout).toBe(plain.stdout);
	});

	it('is accepted at the start of an experiment file and of the scenario it names', async () => {
		withBom('tests/fixtures/small-six-stage.json', 'small-six-stage.json');
		withBom('tests/fixtures/small-experiment.json', 'experiment.json');
		const result = await sim('plan-test', join(dir, 'experiment.json'), '--metric', 'conversion', '--days', '14', '--arm-size', '1000');
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
	});
});
