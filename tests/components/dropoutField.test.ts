/**
 * A segment's dropout model is a choice in the scenario form, like the spend
 * model: BG/NBD (a dropout written without `model`, as every older file is),
 * MBG/NBD or Pareto/NBD.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIO_FIELDS, describedFields, fieldAt, newItem, switchVariant, tagOf, variantOf, type ArrayField, type UnionField } from '../../src/lib/components/scenario/fields';
import { parseScenario } from '../../src/lib/engine/scenario/validate';
import { purchaseCohortScenario } from '../helpers/scenarios';

const scenario = purchaseCohortScenario(10, { r: 1, alphaDays: 30, a: 1.2, b: 3 }, 30);
const dropoutField = fieldAt(scenario, ['segments', 0, 'dropout']) as UnionField;

describe('the dropout model in the scenario form', () => {
	it('offers BG/NBD, MBG/NBD and Pareto/NBD, and reads a dropout without a model as BG/NBD', () => {
		expect(dropoutField.kind).toBe('union');
		expect(dropoutField.discriminator.options).toEqual(['bgnbd', 'mbgnbd', 'paretoNbd']);
		const old = scenario.segments[0].dropout;
		expect('model' in old).toBe(false);
		expect(tagOf(dropoutField, old)).toBe('bgnbd');
		expect(variantOf(dropoutField, old)?.node.fields.map((f) => f.name)).toEqual(['a', 'b']);
		expect(fieldAt(scenario, ['segments', 0, 'dropout', 'a'])?.key).toBe('segments.dropout.bgnbd.a');
	});

	it('switches models keeping the shapes both have, and back to BG/NBD as files write it', () => {
		const mbg = switchVariant(dropoutField, scenario.segments[0].dropout, 'mbgnbd');
		expect(mbg).toEqual({ model: 'mbgnbd', a: 1.2, b: 3 });
		const pareto = switchVariant(dropoutField, mbg, 'paretoNbd');
		expect(Object.keys(pareto).sort()).toEqual(['betaDays', 'model', 's']);
		const back = switchVariant(dropoutField, mbg, 'bgnbd');
		expect(back).toEqual({ a: 1.2, b: 3 });
		for (const dropout of [mbg, pareto, back]) {
			const edited = structuredClone(scenario);
			edited.segments[0].dropout = dropout as typeof edited.segments[0]['dropout'];
			expect(parseScenario(edited).segments[0].dropout).toEqual(dropout);
		}
	});

	it('labels the choice and each model’s own fields', () => {
		const keys = describedFields().map((f) => f.key);
		for (const key of ['segments.dropout.model', 'segments.dropout.bgnbd.a', 'segments.dropout.mbgnbd.b', 'segments.dropout.paretoNbd.s', 'segments.dropout.paretoNbd.betaDays']) {
			expect(keys).toContain(key);
		}
	});

	it('gives a new segment a BG/NBD dropout written as files write it', () => {
		const segments = SCENARIO_FIELDS.fields.find((f) => f.name === 'segments') as ArrayField;
		const segment = newItem(segments, scenario.segments) as { dropout: unknown };
		expect(segment.dropout).toEqual({ a: 1, b: 3 });
	});
});

describe('the scenario format of a dropout', () => {
	it('parses a dropout written without a model to itself: no field added, so older scenarios keep their content hashes', () => {
		const parsed = parseScenario(scenario);
		expect(parsed.segments[0].dropout).toEqual({ a: 1.2, b: 3 });
	});
});
