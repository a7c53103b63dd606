/**
 * Variants as edits of the base scenario, addressed by stable ids: an edit's
 * path names a policy, stage, segment, channel or tier by its id (and a
 * stage's transition by the stage it leads to), never by its position, so
 * an edit made to the base later flows into every variant that does not
 * change that same value.
 *
 *   { "/policies/operations/costPerDay": 4500 }         sets one value
 *   { "/policies/churn_warning": { "type": "winBack", … } } adds a policy the base lacks
 *   { "/policies/points_ladder": null }                removes one the base has
 *
 * Paths are JSON Pointers (RFC 6901) whose array steps are ids; a numeric
 * step still indexes an array without ids. The older form, a JSON Merge
 * Patch of the whole scenario, is turned into edits by `editsOf`.
 */
import { isForbiddenKey } from '../engine/scenario/jsonPointer';

/** Edits of a scenario: id path → new value (null removes). */
export type VariantEdits = Record<string, unknown>;

/** Thrown when an edit cannot apply; the message names the path and why. */
export class EditError extends Error {
	constructor(
		readonly path: string,
		message: string
	) {
		super(`${path}: ${message}`);
		this.name = 'EditError';
	}
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The field that names an array's elements (`id`, or `to` for transitions), or null when they have none or repeat. */
function keyField(array: unknown[]): 'id' | 'to' | null {
	for (const field of ['id', 'to'] as const) {
		const keys = array.map((e) => (isObject(e) && typeof e[field] === 'string' ? e[field] : null));
		if (array.length && keys.every((k) => k !== null) && new Set(keys).size === keys.length) return field;
	}
	return null;
}

/** Splits an id path into its unescaped steps, refusing prototype keys. */
export function pathSteps(path: string): string[] {
	if (!path.startsWith('/')) throw new EditError(path, 'a path starts with "/", such as /policies/operations/costPerDay');
	const steps = path
		.slice(1)
		.split('/')
		.map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
	// Keys that would reach an object's prototype instead of its data: refused, by the one rule pointers follow.
	const bad = steps.find(isForbiddenKey);
	if (bad !== undefined) throw new EditError(path, `"${bad}" is not a scenario field`);
	return steps;
}

/** Escapes one step of a path. */
const escapeStep = (step: string) => step.replace(/~/g, '~0').replace(/\//g, '~1');

/** Where a step leads inside an array: the element with that id, or with that index when the elements have no ids. */
function arrayIndex(array: unknown[], step: string): number {
	const field = keyField(array);
	if (field) return array.findIndex((e) => (e as Json)[field] === step);
	return /^\d+$/.test(step) && Number(step) < array.length ? Number(step) : -1;
}

/** The value at an id path, or undefined when there is none. */
export function valueAtId(doc: unknown, path: string): unknown {
	let node = doc;
	for (const step of pathSteps(path)) {
		if (Array.isArray(node)) node = node[arrayIndex(node, step)];
		else if (isObject(node) && Object.hasOwn(node, step)) node = node[step];
		else return undefined;
	}
	return node;
}

/** The id path as array indices and keys in `doc` (the form's path), or null where `doc` has nothing. */
export function indexPath(doc: unknown, path: string): (string | number)[] | null {
	const out: (string | number)[] = [];
	let node = doc;
	for (const step of pathSteps(path)) {
		if (Array.isArray(node)) {
			const i = arrayIndex(node, step);
			if (i < 0) return null;
			out.push(i);
			node = node[i];
		} else if (isObject(node) && Object.hasOwn(node, step)) {
			out.push(step);
			node = node[step];
		} else return null;
	}
	return out;
}

/** The id path of a field given by array indices and keys in `doc` (the inverse of indexPath), or null where `doc` has nothing. */
export function idPathOf(doc: unknown, path: readonly (string | number)[]): string | null {
	let out = '';
	let node = doc;
	for (const step of path) {
		if (Array.isArray(node) && typeof step === 'number' && step < node.length) {
			const field = keyField(node);
			out += `/${escapeStep(field ? String((node[step] as Json)[field]) : String(step))}`;
			node = node[step];
		} else if (isObject(node) && typeof step === 'string') {
			out += `/${escapeStep(step)}`;
			node = Object.hasOwn(node, step) ? node[step] : undefined;
		} else return null;
	}
	return out;
}

/** Applies edits to a copy of the base scenario, in order; an edit whose place the base no longer has is an EditError. */
export function applyEdits(base: unknown, edits: VariantEdits): unknown {
	const root = structuredClone(base);
	for (const [path, value] of Object.entries(edits)) applyEdit(root, path, value);
	return root;
}

function applyEdit(root: unknown, path: string, value: unknown): void {
	const steps = pathSteps(path);
	if (!steps.length || (steps.length === 1 && steps[0] === '')) throw new EditError(path, 'an edit names a field, not the whole scenario');
	let parent = root;
	for (const [i, step] of steps.slice(0, -1).entries()) {
		const next = Array.isArray(parent) ? parent[arrayIndex(parent, step)] : isObject(parent) && Object.hasOwn(parent, step) ? parent[step] : undefined;
		if (next === null || typeof next !== 'object') throw new EditError(path, `the base has nothing at /${steps.slice(0, i + 1).map(escapeStep).join('/')}`);
		parent = next;
	}
	const last = steps[steps.length - 1];
	if (Array.isArray(parent)) return applyToArray(parent, path, last, value);
	if (!isObject(parent)) throw new EditError(path, 'the base has no object here');
	if (value === null) delete parent[last];
	else parent[last] = structuredClone(value);
}

/** In an array: null removes the named element, an existing one is replaced, a new id is appended. */
function applyToArray(array: unknown[], path: string, step: string, value: unknown): void {
	const index = arrayIndex(array, step);
	if (value === null) {
		if (index < 0) throw new EditError(path, 'removes something the base does not have');
		array.splice(index, 1);
		return;
	}
	if (index >= 0) array[index] = structuredClone(value);
	else if (isObject(value) && (value.id === step || value.to === step)) array.push(structuredClone(value));
	else throw new EditError(path, `the base has no element "${step}"; a new one must carry that id`);
}

/**
 * The edits that turn `base` into `target`, as few and as deep as ids allow:
 * objects and id-keyed arrays are compared member by member, anything else
 * that differs is set whole. applyEdits(base, editsOf(base, target)) equals
 * target, except that elements the base lacks are appended in target's order.
 */
export function editsOf(base: unknown, target: unknown, path = ''): VariantEdits {
	if (deepEqual(base, target)) return {};
	if (isObject(base) && isObject(target)) {
		const edits: VariantEdits = {};
		for (const key of Object.keys(base)) if (!Object.hasOwn(target, key)) edits[`${path}/${escapeStep(key)}`] = null;
		for (const key of Object.keys(target)) {
			const at = `${path}/${escapeStep(key)}`;
			if (Object.hasOwn(base, key)) Object.assign(edits, editsOf(base[key], target[key], at));
			else edits[at] = structuredClone(target[key]);
		}
		return edits;
	}
	if (Array.isArray(base) && Array.isArray(target) && path) {
		// An empty base array takes its ids from the target, so a policy added to a scenario without any stays addressable.
		const field = keyField(base) ?? (base.length === 0 ? keyField(target) : null);
		if (field && keyField(target) === field && sameOrder(base, target, field)) {
			const edits: VariantEdits = {};
			const keyOf = (e: unknown) => String((e as Json)[field]);
			const targetKeys = new Set(target.map(keyOf));
			for (const e of base) if (!targetKeys.has(keyOf(e))) edits[`${path}/${escapeStep(keyOf(e))}`] = null;
			for (const e of target) {
				const match = base.find((b) => keyOf(b) === keyOf(e));
				const at = `${path}/${escapeStep(keyOf(e))}`;
				if (match) Object.assign(edits, editsOf(match, e, at));
				else edits[at] = structuredClone(e);
			}
			return edits;
		}
	}
	return path ? { [path]: structuredClone(target) } : {};
}

/** Whether the elements both arrays share come in the same order and the new ones only at the end, so edits rebuild the target exactly. */
function sameOrder(base: unknown[], target: unknown[], field: string): boolean {
	const baseKeys = base.map((e) => (e as Json)[field]);
	const shared = target.map((e) => (e as Json)[field]).filter((k) => baseKeys.includes(k));
	const kept = baseKeys.filter((k) => shared.includes(k));
	const firstNew = target.findIndex((e) => !baseKeys.includes((e as Json)[field]));
	const lastShared = target.map((e) => baseKeys.includes((e as Json)[field])).lastIndexOf(true);
	return shared.every((k, i) => k === kept[i]) && (firstNew < 0 || firstNew > lastShared);
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
	if (isObject(a) && isObject(b)) {
		const keys = Object.keys(a);
		return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
	}
	return false;
}

/** The edits of `edits` whose value the base changed between `before` and `after`: the variant still overrides them. */
export function overriddenChanges(edits: VariantEdits, before: unknown, after: unknown): string[] {
	return Object.keys(edits).filter((path) => {
		try {
			return !deepEqual(valueAtId(before, path), valueAtId(after, path));
		} catch {
			return false;
		}
	});
}
