/**
 * The scenario form's field descriptors, derived from the zod schema through
 * its JSON Schema (z.toJSONSchema, input side), so the form covers every field
 * and follows the schema when it changes. Pure: no DOM, no Svelte; the
 * component renders the tree and calls setField to build the next scenario.
 *
 * A field's `key` is its schema path without array indices
 * ("stages.transitions.dailyProbability"); policy fields carry their type
 * ("policies.winBack.quietDays"). The interface strings live under that key.
 */
import * as z from 'zod';
import { id as idSchema } from '../../engine/scenario/policySchemas';
import { scenarioSchema } from '../../engine/scenario/schema';
import { formatPath, type ScenarioProblem } from '../../engine/scenario/validate';
import { setAtPath, valueAt, type Path } from '../../engine/scenario/jsonPointer';

// Reading and writing by location is the JSON Pointer module's job, shared with experiments and calibration.
export { setAtPath, valueAt, type Path } from '../../engine/scenario/jsonPointer';

/** The two kinds of id a field can refer to; the form offers the scenario's own ids. */
export type ReferenceKind = 'stages' | 'segments';

/** What every field has. `required`: the schema has no default and the field must be given. */
interface FieldBase {
	key: string;
	name: string;
	required: boolean;
	default?: unknown;
	/** The schema's own description, in English: the source the translated help follows. */
	description?: string;
}

export interface NumberField extends FieldBase {
	kind: 'number';
	integer: boolean;
	min: number;
	max: number;
	minExclusive: boolean;
	maxExclusive: boolean;
}
export interface StringField extends FieldBase {
	kind: 'string';
	minLength?: number;
	maxLength?: number;
	pattern?: string;
	reference?: ReferenceKind;
}
export interface ConstField extends FieldBase {
	kind: 'const';
	value: unknown;
}
export interface EnumField extends FieldBase {
	kind: 'enum';
	options: string[];
}
export interface BooleanField extends FieldBase {
	kind: 'boolean';
}
/** The { en, zh-CN } text pair every label and description is. */
export interface LocalizedField extends FieldBase {
	kind: 'localized';
	multiline: boolean;
	maxLength?: number;
}
export interface ObjectField extends FieldBase {
	kind: 'object';
	fields: FieldNode[];
}
export interface RecordField extends FieldBase {
	kind: 'record';
	entry: NumberField;
	reference?: ReferenceKind;
}
export interface ArrayField extends FieldBase {
	kind: 'array';
	item: FieldNode;
	minItems: number;
	maxItems: number;
	reference?: ReferenceKind;
}
export interface UnionVariant {
	value: string;
	node: ObjectField;
}
/** A discriminated union: the discriminator is an enum field of its own, each variant an object. */
export interface UnionField extends FieldBase {
	kind: 'union';
	discriminator: EnumField;
	variants: UnionVariant[];
	/** Variant fields keyed by variant ("policies.winBack.quietDays") because the variants share field names. */
	keyedByVariant: boolean;
	/** The variant a value without a discriminator is (a segment's dropout without `model` is BG/NBD), if any. */
	implicit?: string;
}

export type FieldNode =
	| NumberField
	| StringField
	| ConstField
	| EnumField
	| BooleanField
	| LocalizedField
	| ObjectField
	| RecordField
	| ArrayField
	| UnionField;

/** The part of JSON Schema z.toJSONSchema writes for our schema. */
interface JsonSchema {
	type?: string;
	const?: unknown;
	enum?: unknown[];
	default?: unknown;
	description?: string;
	minimum?: number;
	maximum?: number;
	exclusiveMinimum?: number;
	exclusiveMaximum?: number;
	minLength?: number;
	maxLength?: number;
	pattern?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	minItems?: number;
	maxItems?: number;
	oneOf?: JsonSchema[];
	anyOf?: JsonSchema[];
}

/** Which fields hold ids of the scenario's stages or segments: the schema says "an id", not whose. */
const REFERENCES: Record<string, ReferenceKind> = {
	'population.initialStages': 'stages',
	'stages.transitions.to': 'stages',
	'channels.startStage': 'stages',
	'channels.segmentMix': 'segments',
	'policies.winBack.responseRateBySegment': 'segments',
	'policies.referralProgramme.invitingStages': 'stages'
};

function referenceOf(key: string): ReferenceKind | undefined {
	// Every policy's scope lists segment ids.
	if (/^policies\.[^.]+\.segments$/.test(key)) return 'segments';
	return REFERENCES[key];
}

/**
 * Starting values for new items where the schema has no default and its lower
 * bound would be a poor start (a segment that never buys, a one-day win-back offer).
 */
const STARTING_VALUES: Record<string, unknown> = {
	'stages.transitions.dailyProbability': 0.01,
	'segments.purchaseRate.r': 1,
	'segments.purchaseRate.alphaDays': 100,
	'segments.dropout.bgnbd.a': 1,
	'segments.dropout.bgnbd.b': 3,
	'segments.dropout.mbgnbd.a': 1,
	'segments.dropout.mbgnbd.b': 3,
	'segments.dropout.paretoNbd.s': 1,
	'segments.dropout.paretoNbd.betaDays': 300,
	'segments.spend.p': 6,
	'segments.spend.q': 4,
	'segments.spend.gamma': 50,
	'segments.spend.meanOrderValue': 100,
	'segments.spend.sigma': 0.5,
	'policies.onboarding.durationDays': 7,
	'policies.winBack.quietDays': 60,
	'policies.winBack.effectDays': 14,
	'policies.pointsProgramme.pointsPerCurrencyUnit': 1,
	'policies.pointsProgramme.redemptionThreshold': 100,
	'policies.pointsProgramme.valuePerPoint': 0.01,
	'policies.pointsProgramme.expiryDays': 365,
	'policies.birthdayBenefit.durationDays': 7,
	'policies.festivalPromotion.dates.durationDays': 3
};

const join = (key: string, name: string) => (key ? `${key}.${name}` : name);

function isLocalized(schema: JsonSchema): boolean {
	const names = Object.keys(schema.properties ?? {}).sort();
	return names.length === 2 && names[0] === 'en' && names[1] === 'zh-CN' && names.every((n) => schema.properties![n].type === 'string');
}

/** The property every variant fixes to a constant: the union's discriminator. */
function discriminatorOf(variants: JsonSchema[]): string {
	const first = Object.entries(variants[0].properties ?? {});
	const found = first.find(([name]) => variants.every((v) => v.properties?.[name]?.const !== undefined));
	if (!found) throw new Error('a union in the scenario schema has no discriminator');
	return found[0];
}

function build(schema: JsonSchema, key: string, name: string, required: boolean): FieldNode {
	const base: FieldBase = { key, name, required, default: schema.default, description: schema.description };
	const variants = schema.oneOf ?? schema.anyOf;
	if (variants) {
		const discriminator = discriminatorOf(variants);
		const values = variants.map((v) => String(v.properties![discriminator].const));
		const fieldNames = variants.map((v) => Object.keys(v.properties!).filter((n) => n !== discriminator));
		const all = fieldNames.flat();
		// Variants with no field name in common can share keys ("segments.spend.sigma"); policies cannot.
		const keyedByVariant = new Set(all).size < all.length;
		const implicit = variants.findIndex((v) => !(v.required ?? []).includes(discriminator));
		return {
			...base,
			kind: 'union',
			keyedByVariant,
			implicit: implicit >= 0 ? values[implicit] : undefined,
			discriminator: { kind: 'enum', key: join(key, discriminator), name: discriminator, required: true, options: values },
			variants: variants.map((v, i) => {
				const variantKey = keyedByVariant ? join(key, values[i]) : key;
				const { [discriminator]: _, ...properties } = v.properties!;
				const node = build({ ...v, properties }, variantKey, name, true) as ObjectField;
				return { value: values[i], node };
			})
		};
	}
	if (schema.const !== undefined) return { ...base, kind: 'const', value: schema.const };
	if (schema.enum) return { ...base, kind: 'enum', options: schema.enum.map(String) };
	switch (schema.type) {
		case 'number':
		case 'integer':
			return {
				...base,
				kind: 'number',
				integer: schema.type === 'integer',
				min: schema.minimum ?? schema.exclusiveMinimum ?? -Number.MAX_VALUE,
				max: schema.maximum ?? schema.exclusiveMaximum ?? Number.MAX_VALUE,
				minExclusive: schema.minimum === undefined && schema.exclusiveMinimum !== undefined,
				maxExclusive: schema.maximum === undefined && schema.exclusiveMaximum !== undefined
			};
		case 'boolean':
			return { ...base, kind: 'boolean' };
		case 'string':
			return { ...base, kind: 'string', minLength: schema.minLength, maxLength: schema.maxLength, pattern: schema.pattern, reference: referenceOf(key) };
		case 'array': {
			const item = build(schema.items ?? {}, key, name, true);
			return { ...base, kind: 'array', item, minItems: schema.minItems ?? 0, maxItems: schema.maxItems ?? Infinity, reference: referenceOf(key) };
		}
		case 'object': {
			if (isLocalized(schema)) {
				const maxLength = schema.properties!.en.maxLength;
				return { ...base, kind: 'localized', maxLength, multiline: (maxLength ?? Infinity) > 200 };
			}
			if (schema.properties) {
				const must = new Set(schema.required ?? []);
				const fields = Object.entries(schema.properties).map(([n, s]) => build(s, join(key, n), n, must.has(n)));
				return { ...base, kind: 'object', fields };
			}
			if (typeof schema.additionalProperties === 'object') {
				const entry = build(schema.additionalProperties, key, name, true);
				if (entry.kind !== 'number') throw new Error(`record ${key}: only records of numbers are supported`);
				return { ...base, kind: 'record', entry, reference: referenceOf(key) };
			}
		}
	}
	throw new Error(`the scenario form does not know how to edit ${key || 'the scenario'} (${JSON.stringify(schema).slice(0, 80)})`);
}

/** Builds the descriptor tree of any object schema (the scenario's, or a test's). */
export function fieldsOf(schema: z.ZodType): ObjectField {
	const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
	const node = build(json, '', '', true);
	if (node.kind !== 'object') throw new Error('the form edits objects only');
	return node;
}

/** The scenario's fields, top level first, in schema order. */
export const SCENARIO_FIELDS: ObjectField = fieldsOf(scenarioSchema);

/** A node with translated strings: everything but array items, record entries and union variants. */
export interface DescribedField {
	node: FieldNode;
	key: string;
}

/**
 * Every field that needs a label and help, depth first. Array items, record
 * entries and union variants share their parent's key, so they are skipped.
 */
export function describedFields(root: ObjectField = SCENARIO_FIELDS): DescribedField[] {
	const out: DescribedField[] = [];
	const visit = (node: FieldNode, described: boolean) => {
		if (described) out.push({ node, key: node.key });
		switch (node.kind) {
			case 'object':
				for (const field of node.fields) visit(field, true);
				break;
			case 'array':
				visit(node.item, false);
				break;
			case 'union':
				visit(node.discriminator, true);
				for (const variant of node.variants) visit(variant.node, false);
				break;
		}
	};
	for (const field of root.fields) visit(field, true);
	return out;
}

// ---------------------------------------------------------------------------
// Values: reading, writing, starting values.

/** The known ids, for reference selects: each with its labels for display. */
export interface References {
	stages: { id: string; labels?: Record<string, string> }[];
	segments: { id: string; labels?: Record<string, string> }[];
}

/** True for a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The scenario's stage and segment ids (whatever of them is well-formed enough to read). */
export function referencesOf(root: unknown): References {
	const list = (value: unknown) =>
		(Array.isArray(value) ? value : [])
			.filter((item): item is Record<string, unknown> => isRecord(item) && typeof item.id === 'string' && item.id !== '')
			.map((item) => ({ id: item.id as string, labels: isRecord(item.labels) ? (item.labels as Record<string, string>) : undefined }));
	return isRecord(root) ? { stages: list(root.stages), segments: list(root.segments) } : { stages: [], segments: [] };
}

/** The discriminator a union's value has, or the implicit variant's when it has none. */
export function tagOf(union: UnionField, value: unknown): unknown {
	return (isRecord(value) ? value[union.discriminator.name] : undefined) ?? union.implicit;
}

/** The variant a union's value is, or undefined if its discriminator names none. */
export function variantOf(union: UnionField, value: unknown): UnionVariant | undefined {
	const tag = tagOf(union, value);
	return union.variants.find((v) => v.value === tag);
}

/** The descriptor at a concrete path (`stages[2].transitions[0].to`), resolving unions by the value found there. */
export function fieldAt(root: unknown, path: Path, fields: ObjectField = SCENARIO_FIELDS): FieldNode | undefined {
	let node: FieldNode = fields;
	let value = root;
	for (const key of path) {
		if (node.kind === 'union') {
			if (key === node.discriminator.name) {
				node = node.discriminator;
				value = isRecord(value) ? value[key] : undefined;
				continue;
			}
			const variant = variantOf(node, value);
			if (!variant) return undefined;
			node = variant.node;
		}
		if (node.kind === 'object' && typeof key === 'string') {
			const field: FieldNode | undefined = node.fields.find((f) => f.name === key);
			if (!field) return undefined;
			node = field;
		} else if (node.kind === 'array' && typeof key === 'number') node = node.item;
		else if (node.kind === 'record' && typeof key === 'string') node = node.entry;
		else if (node.kind === 'localized' && (key === 'en' || key === 'zh-CN')) return node;
		else return undefined;
		value = valueAt(value, [key]);
	}
	return node;
}

/** Reads `stages[2].transitions[0].to` (the format validateScenario writes) into a path. */
export function parsePath(text: string): Path {
	const path: Path = [];
	for (const match of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
		path.push(match[2] !== undefined ? Number(match[2]) : match[1]);
	}
	return path;
}

/** The smallest valid number, nudged off an exclusive bound. */
function smallestValid(node: NumberField): number {
	if (!node.minExclusive) return node.min;
	const candidate = node.min + 1;
	return candidate <= node.max ? candidate : (node.min + node.max) / 2;
}

/** A value a new field starts with: the schema default, else a valid starting value. */
export function initialValue(node: FieldNode, refs: References = { stages: [], segments: [] }): unknown {
	if (node.default !== undefined) return structuredClone(node.default);
	if (node.key in STARTING_VALUES) return STARTING_VALUES[node.key];
	switch (node.kind) {
		case 'number': {
			// By the naming convention a …Multiplier is a factor where 1 means no change.
			if (node.name.endsWith('Multiplier') && node.min <= 1 && 1 <= node.max) return 1;
			return smallestValid(node);
		}
		case 'string':
			return node.reference ? (refs[node.reference][0]?.id ?? '') : '';
		case 'const':
			return node.value;
		case 'enum':
			return node.options[0];
		case 'boolean':
			return false;
		case 'localized':
			return { en: '', 'zh-CN': '' };
		case 'object':
			return Object.fromEntries(node.fields.filter((f) => f.required).map((f) => [f.name, initialValue(f, refs)]));
		case 'record':
			return {};
		case 'array':
			return Array.from({ length: node.minItems }, () => initialValue(node.item, refs));
		case 'union':
			return variantValue(node, node.variants[0].value, refs);
	}
}

/** A fresh value of one variant of a union, discriminator first (none for the implicit variant, as files write it). */
export function variantValue(union: UnionField, tag: string, refs?: References): Record<string, unknown> {
	const variant = union.variants.find((v) => v.value === tag);
	if (!variant) throw new Error(`${union.key}: no variant "${tag}"`);
	const start = initialValue(variant.node, refs) as Record<string, unknown>;
	return tag === union.implicit ? start : { [union.discriminator.name]: tag, ...start };
}

/**
 * The value a union takes when its discriminator changes: the new variant's
 * starting value, keeping what the old value had for fields both variants have
 * (a policy keeps its id, labels, scope and dates).
 */
export function switchVariant(union: UnionField, current: unknown, tag: string, refs?: References): Record<string, unknown> {
	const next = variantValue(union, tag, refs);
	const variant = union.variants.find((v) => v.value === tag)!;
	if (isRecord(current)) {
		for (const field of variant.node.fields) {
			if (current[field.name] !== undefined) next[field.name] = structuredClone(current[field.name]);
		}
	}
	return next;
}

function singular(word: string): string {
	if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
	return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** `base`, or `base_2`, `base_3`… whichever no sibling has. */
export function uniqueId(base: string, taken: Iterable<string>): string {
	const used = new Set(taken);
	const clean = base.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z]+/, '') || 'item';
	if (!used.has(clean)) return clean;
	for (let n = 2; ; n++) if (!used.has(`${clean}_${n}`)) return `${clean}_${n}`;
}

/**
 * A new item for an array: starting values, and where the item has an id one
 * no sibling has (a policy's from its type, "winback"), with labels set to it
 * so the item is valid at once.
 */
export function newItem(array: ArrayField, siblings: unknown[], refs?: References, tag?: string): unknown {
	const item = array.item;
	const value = item.kind === 'union' ? variantValue(item, tag ?? item.variants[0].value, refs) : initialValue(item, refs);
	if (!isRecord(value)) return value;
	const objectNode = item.kind === 'union' ? variantOf(item, value)?.node : item.kind === 'object' ? item : undefined;
	const idField = objectNode?.fields.find((f) => f.name === 'id');
	if (idField) {
		const taken = siblings.filter(isRecord).map((s) => String(s.id));
		value.id = uniqueId(tag ?? singular(array.name), taken);
		const labels = objectNode!.fields.find((f) => f.name === 'labels');
		if (labels?.required) value.labels = { en: value.id, 'zh-CN': value.id };
	}
	return value;
}

/**
 * The next scenario after setting the field at `path` (undefined removes it).
 * A container missing on the way is first filled with its starting value, so
 * setting one field of an absent `referral` keeps the object valid.
 */
export function setField<T>(root: T, path: Path, value: unknown, refs?: References, fields: ObjectField = SCENARIO_FIELDS): T {
	let next = root;
	for (let i = 1; i < path.length; i++) {
		const prefix = path.slice(0, i);
		if (valueAt(next, prefix) !== undefined) continue;
		const node = fieldAt(next, prefix, fields);
		const start = node && node.kind !== 'localized' ? initialValue(node, refs) : typeof path[i] === 'number' ? [] : {};
		next = setAtPath(next, prefix, start);
	}
	return setAtPath(next, path, value);
}

// ---------------------------------------------------------------------------
// Problems: which field shows which problem.

/**
 * Every path the form shows problems at, for the scenario as it is: each field,
 * each container, each array item and record entry. Id lists (policy
 * segments) show their items' problems on the list.
 */
export function problemPaths(root: unknown, fields: ObjectField = SCENARIO_FIELDS): Set<string> {
	const out = new Set<string>();
	const visit = (node: FieldNode, path: Path, value: unknown) => {
		out.add(formatPath(path));
		switch (node.kind) {
			case 'object':
				for (const field of node.fields) visit(field, [...path, field.name], isRecord(value) ? value[field.name] : undefined);
				break;
			case 'localized':
				out.add(formatPath([...path, 'en']));
				out.add(formatPath([...path, 'zh-CN']));
				break;
			case 'record':
				if (isRecord(value)) for (const key of Object.keys(value)) out.add(formatPath([...path, key]));
				break;
			case 'array':
				if (node.reference) break;
				if (Array.isArray(value)) value.forEach((item, i) => visit(node.item, [...path, i], item));
				break;
			case 'union': {
				out.add(formatPath([...path, node.discriminator.name]));
				const variant = variantOf(node, value);
				if (variant) for (const field of variant.node.fields) visit(field, [...path, field.name], isRecord(value) ? value[field.name] : undefined);
				break;
			}
		}
	};
	for (const field of fields.fields) visit(field, [field.name], isRecord(root) ? root[field.name] : undefined);
	return out;
}

/** Problems by the path of the field that shows them, and those no field shows. */
export interface PlacedProblems {
	at: Map<string, ScenarioProblem[]>;
	unplaced: ScenarioProblem[];
}

/**
 * Places each problem at the field with its path, else at the nearest
 * enclosing field shown (`policies[1].segments[0]` at the segment list);
 * problems about the scenario as a whole, or no field at all, stay unplaced.
 */
export function placeProblems(problems: readonly ScenarioProblem[], paths: Set<string>): PlacedProblems {
	const at = new Map<string, ScenarioProblem[]>();
	const unplaced: ScenarioProblem[] = [];
	for (const problem of problems) {
		const path = parsePath(problem.path);
		let placed = false;
		while (path.length) {
			const text = formatPath(path);
			if (paths.has(text)) {
				at.set(text, [...(at.get(text) ?? []), problem]);
				placed = true;
				break;
			}
			path.pop();
		}
		if (!placed) unplaced.push(problem);
	}
	return { at, unplaced };
}

/** True if `path` is `ancestor` or lies inside it. */
export function isWithin(path: string, ancestor: string): boolean {
	return path === ancestor || path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

// ---------------------------------------------------------------------------
// Display helpers.

/** The pattern every id follows, as the JSON Schema writes it. */
const ID_PATTERN = (z.toJSONSchema(idSchema) as JsonSchema).pattern;

/** Which rule a text field's hint states: an id's alphabet, a currency code's, or just its length. */
export function stringRule(node: StringField): 'idRule' | 'codeRule' | 'maxLength' | undefined {
	if (node.pattern === ID_PATTERN) return 'idRule';
	if (node.pattern === '^[A-Z]{3}$') return 'codeRule';
	return node.maxLength !== undefined ? 'maxLength' : undefined;
}

/** How a stage or segment is named in a list: its label in the language, else its id. */
export function referenceLabel(ref: { id: string; labels?: Record<string, string> }, lang: string): string {
	return ref.labels?.[lang] || ref.labels?.en || ref.id;
}

/** The input step: whole numbers step by 1; other numbers take any value. */
export function stepOf(node: NumberField): number | 'any' {
	return node.integer ? 1 : 'any';
}

/** The min/max attributes of a number input (exclusive bounds are left to validation). */
export function inputBounds(node: NumberField): { min?: number; max?: number } {
	const finite = (n: number) => Math.abs(n) < Number.MAX_VALUE;
	return { min: finite(node.min) ? node.min : undefined, max: finite(node.max) ? node.max : undefined };
}

/** Which message describes a number's bounds: both inclusive, or one end open. */
export function boundsKind(node: NumberField): 'range' | 'rangeAboveMin' | 'rangeBelowMax' | 'rangeOpen' {
	if (node.minExclusive && node.maxExclusive) return 'rangeOpen';
	if (node.minExclusive) return 'rangeAboveMin';
	if (node.maxExclusive) return 'rangeBelowMax';
	return 'range';
}

/** A bound as the reader wants it: grouped digits, round big numbers short (1e12 → "1T", "1万亿"). */
export function formatBound(value: number, lang: string): string {
	const round = Math.abs(value) >= 1e5 && Number(value.toPrecision(2)) === value;
	return new Intl.NumberFormat(lang, round ? { notation: 'compact' } : { maximumFractionDigits: 6 }).format(value);
}

/** The symbol of a currency code in a language ("¥" for CNY in zh-CN), or the code if it is not one. */
export function currencySymbol(code: unknown, lang: string): string {
	if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) return typeof code === 'string' && code ? code : '¤';
	try {
		const parts = new Intl.NumberFormat(lang, { style: 'currency', currency: code }).formatToParts(0);
		return parts.find((p) => p.type === 'currency')?.value ?? code;
	} catch {
		return code;
	}
}
