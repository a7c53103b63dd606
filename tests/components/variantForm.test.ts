/**
 * A variant is edited in the scenario's own form, showing only what it
 * changes, each field with the base's value beside it; a field the base
 * changed while the variant still overrides it says so. Rendered on the
 * server as the browser first draws it, in both languages, from lesson 3's
 * shipped experiment (points ladder: switched on, expiry 90 days).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import VariantEditor from '../../src/lib/components/notebook/VariantEditor.svelte';
import { changedGroups } from '../../src/lib/components/scenario/changes';
import { locale } from '../../src/lib/i18n/locale.svelte';
import { applyEdits } from '../../src/lib/experiment/variantEdits';

const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => { window: Window } };

const lesson = JSON.parse(readFileSync(new URL('../../scenarios/notebooks/lesson-3-points-ladder.en.json', import.meta.url), 'utf8'));
const base = lesson.cells.find((c: { kind: string }) => c.kind === 'scenario').scenario;
const variants = lesson.cells.find((c: { kind: string }) => c.kind === 'experiment').variants as { name: string; edits?: Record<string, unknown> }[];
const expire = variants.find((v) => v.name === 'expire_in_90_days')!;
const ladder = base.policies.find((p: { id: string }) => p.id === 'points_ladder');

function draw(lang: 'en' | 'zh-CN', baseBefore = base) {
	locale.current = lang;
	const { body } = render(VariantEditor, { props: { base, baseBefore, variant: expire, onchange: () => {} } });
	return new JSDOM(body).window.document;
}

/** The field of the variant's form whose input id ends with the policy field's path. */
function field(doc: Document, name: string) {
	const input = [...doc.querySelectorAll('input')].find((el) => el.id.endsWith(`policies[${base.policies.indexOf(ladder)}].${name}`))!;
	return input.closest('.field')!;
}

describe('a variant edited in the scenario form, beside its base', () => {
	it('groups the changed fields by the policy they belong to, its switch first', () => {
		const { groups, removed } = changedGroups(base, applyEdits(base, expire.edits!), 'en');
		const i = base.policies.indexOf(ladder);
		expect(groups.map((g) => g.item?.id)).toEqual(['points_ladder']);
		expect(groups[0].paths).toEqual([
			['policies', i, 'enabled'],
			['policies', i, 'expiryDays']
		]);
		expect(removed).toEqual([]);
	});

	for (const [lang, baseWord, off] of [
		['en', 'Base:', 'off'],
		['zh-CN', '基准：', '关']
	] as const) {
		it(`shows only the changed fields, each with the base's value beside it (${lang})`, () => {
			const doc = draw(lang);
			const lead = doc.querySelector('section.levers')!;
			// Two fields changed: the switch and the expiry; nothing else of the scenario is drawn before the full form.
			expect(lead.querySelectorAll('input').length).toBe(2);
			const expiry = field(doc, 'expiryDays');
			expect((expiry.querySelector('input') as HTMLInputElement).value).toBe('90');
			expect(expiry.querySelector('.base')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(`${baseWord} ${new Intl.NumberFormat(lang).format(ladder.expiryDays)}`);
			expect(field(doc, 'enabled').querySelector('.base')!.textContent).toContain(off);
			// The base's value is read with the field.
			expect(expiry.querySelector('input')!.getAttribute('aria-describedby')).toContain(expiry.querySelector('.base')!.id);
			expect(doc.querySelector('[role="status"]')).toBeNull();
		});
	}

	it('says so at the field when the base just changed a value the variant still overrides', () => {
		const before = structuredClone(base);
		before.policies.find((p: { id: string }) => p.id === 'points_ladder').expiryDays = 200;
		const doc = draw('en', before);
		const warning = field(doc, 'expiryDays').querySelector('[role="status"]')!;
		expect(warning.textContent).toContain(`from 200 to ${ladder.expiryDays}; this variant still sets 90`);
		expect(field(doc, 'enabled').querySelector('[role="status"]')).toBeNull();
	});
});
