/**
 * The CLI refuses JSON Pointers through the object machinery (issue 17, item
 * 2): a sensitivity parameter `/__proto__/toString` ran with a swing of 0 or
 * threw a TypeError; now it exits 2 naming the field and the pointer.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sim } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'lifecycle-pointers-'));
const scenario = JSON.parse(readFileSync(join(root, 'tests/fixtures/small-six-stage.json'), 'utf8'));

function experiment(extra: object): string {
	const path = join(dir, `experiment-${Math.random().toString(36).slice(2)}.json`);
	writeFileSync(path, JSON.stringify({ schema: 'lifecycle-lab/experiment@1', name: 'x', scenario, replications: 1, ...extra }));
	return path;
}

describe('pointers through __proto__ on the command line', () => {
	it.each(['/__proto__/toString', '/stages/0/__proto__/toString', '/constructor/prototype/toString'])('sensitivity refuses %s with exit 2, naming the field', async (pointer) => {
		const result = await sim('sensitivity', experiment({ sensitivity: [{ parameter: pointer, low: 1, high: 2 }] }));
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/sensitivity\[0\]\.parameter: .*is not allowed in a location/);
	});

	it('sweep refuses a pointer through constructor', async () => {
		const result = await sim('sweep', experiment({ sweep: [{ parameter: '/constructor/prototype/x', values: [1, 2] }] }));
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/sweep\[0\]\.parameter: .*"constructor" is not allowed/);
	});

	it('compare refuses a __proto__ key in a variant patch instead of dropping it', async () => {
		const path = join(dir, 'proto-patch.json');
		writeFileSync(path, readFileSync(experiment({}), 'utf8').replace(/}$/, ',"variants":[{"name":"a"},{"name":"b","patch":{"__proto__":{"horizonDays":7}}}]}'));
		const result = await sim('compare', path);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/variants\[1\]\.patch\.__proto__: "__proto__" is not allowed as a key/);
	});

	it('fit-simulation refuses --param /__proto__/toString=1..2', async () => {
		const observed = join(dir, 'observed.csv');
		writeFileSync(observed, 'period,value\n0,10\n1,12\n2,11\n');
		const scenarioFile = join(dir, 'scenario.json');
		writeFileSync(scenarioFile, JSON.stringify(scenario));
		const result = await sim('fit-simulation', scenarioFile, '--observed', observed, '--param', '/__proto__/toString=1..2');
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^error: --param \/__proto__\/toString: "__proto__" is not allowed in a location/);
	});
});
