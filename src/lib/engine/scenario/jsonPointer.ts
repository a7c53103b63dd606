/**
 * JSON Pointers (RFC 6901) and paths into scenario documents: the one place
 * that reads and writes a value by its location, for the experiment's sweeps
 * and sensitivity runs, the calibration's fitted values and the scenario form.
 *
 * A location names own properties of plain data only (arrays by index, plain
 * objects by key). `__proto__`, `prototype` and `constructor` are refused with
 * the location named: on an ordinary object they reach Object.prototype, and a
 * write there would change every object in the program.
 */

/** A location as keys: strings for object keys, numbers for array indices. */
export type Path = (string | number)[];

/** Keys that name the machinery of JavaScript objects, never scenario data. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** A pointer or path that is malformed, refused, or leads nowhere; the message names it. */
export class PointerError extends Error {
	constructor(
		readonly pointer: string,
		message: string
	) {
		super(`${pointer}: ${message}`);
		this.name = 'PointerError';
	}
}

/** True for a key that may never be read or written through a location. */
export function isForbiddenKey(key: string | number): boolean {
	return typeof key === 'string' && FORBIDDEN_KEYS.has(key);
}

/** The pointer that names `path` (`["stages", 2, "id"]` → `/stages/2/id`). */
export function pointerOf(path: Path): string {
	return path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The keys of a pointer, unescaped; throws a PointerError for a malformed pointer or a forbidden key. */
export function parsePointer(pointer: string): string[] {
	if (!pointer.startsWith('/')) throw new PointerError(pointer, 'a JSON Pointer starts with "/"');
	const keys = pointer
		.slice(1)
		.split('/')
		.map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
	checkKeys(keys);
	return keys;
}

/** The problem with a pointer as text, or undefined when it is well formed and allowed. */
export function pointerProblem(pointer: string): string | undefined {
	try {
		parsePointer(pointer);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

function checkKeys(path: Path): void {
	const at = path.findIndex(isForbiddenKey);
	if (at >= 0) throw new PointerError(pointerOf(path), `"${path[at]}" is not allowed in a location: it names JavaScript's object machinery, not scenario data`);
}

/** Arrays and objects made by JSON (or object literals): the only containers a location walks through. */
function isPlainContainer(node: unknown): node is Record<string | number, unknown> {
	if (Array.isArray(node)) return true;
	if (node === null || typeof node !== 'object') return false;
	const proto = Object.getPrototypeOf(node);
	return proto === Object.prototype || proto === null;
}

/** An array's own element index, or -1: "length" and other array properties are not data. */
function arrayIndex(node: unknown[], key: string | number): number {
	const text = String(key);
	return /^(0|[1-9]\d*)$/.test(text) && Number(text) < node.length ? Number(text) : -1;
}

/** The own value of `node` at `key`, or undefined. */
function child(node: unknown, key: string | number): unknown {
	if (!isPlainContainer(node)) return undefined;
	if (Array.isArray(node)) {
		const index = arrayIndex(node, key);
		return index < 0 ? undefined : node[index];
	}
	return Object.hasOwn(node, key) ? node[key] : undefined;
}

/** The value at `path`, or undefined where the path leads nowhere; throws a PointerError for a forbidden key. */
export function valueAt(root: unknown, path: Path): unknown {
	checkKeys(path);
	let value = root;
	for (const key of path) value = child(value, key);
	return value;
}

/** The value at a JSON Pointer, or undefined; throws a PointerError for a malformed pointer or a forbidden key. */
export function getAtPointer(target: unknown, pointer: string): unknown {
	return valueAt(target, parsePointer(pointer));
}

/**
 * A copy of `root` with `value` at `path`; `undefined` removes the key (or the
 * array element). With `create`, missing containers on the way are made;
 * without, every parent must exist and an array element must already be
 * there. Never mutates `root`.
 */
export function setAtPath<T>(root: T, path: Path, value: unknown, { create = true }: { create?: boolean } = {}): T {
	checkKeys(path);
	if (path.length === 0) return structuredClone(value) as T;
	const next = structuredClone(root ?? (create && typeof path[0] === 'number' ? [] : {})) as Record<string | number, unknown>;
	let parent: unknown = next;
	for (let i = 0; i < path.length - 1; i++) {
		let node = child(parent, path[i]);
		if (!isPlainContainer(node)) {
			if (!create || !isPlainContainer(parent)) throw new PointerError(pointerOf(path), `nothing at ${pointerOf(path.slice(0, i + 1))}`);
			node = typeof path[i + 1] === 'number' ? [] : {};
			(parent as Record<string | number, unknown>)[path[i]] = node;
		}
		parent = node;
	}
	setOwn(parent, path, value, create);
	return next as T;
}

function setOwn(parent: unknown, path: Path, value: unknown, create: boolean): void {
	const last = path[path.length - 1];
	if (!isPlainContainer(parent)) throw new PointerError(pointerOf(path), `nothing at ${pointerOf(path.slice(0, -1)) || '/'}`);
	if (Array.isArray(parent)) {
		// A form may add an element past the end; a pointer names only elements that exist.
		const index = create && /^(0|[1-9]\d*)$/.test(String(last)) ? Number(last) : arrayIndex(parent, last);
		if (index < 0) throw new PointerError(pointerOf(path), `no element ${last}`);
		if (value === undefined) parent.splice(index, 1);
		else parent[index] = structuredClone(value);
		return;
	}
	if (value === undefined) delete parent[last];
	else parent[last] = structuredClone(value);
}

/** Sets the value at a JSON Pointer in a copy of `target`; the pointer's parents must exist. */
export function setAtPointer(target: unknown, pointer: string, value: unknown): unknown {
	return setAtPath(target, parsePointer(pointer), value, { create: false });
}

/** The path of the first forbidden key anywhere in `value` (own keys of plain data, as JSON.parse makes them), or undefined. */
export function forbiddenKeyPath(value: unknown, path: Path = [], depth = 0): Path | undefined {
	// Deeper than any scenario goes: the caller's nesting check refuses it.
	if (depth > 64 || value === null || typeof value !== 'object') return undefined;
	for (const [key, item] of Object.entries(value)) {
		const at: Path = [...path, Array.isArray(value) ? Number(key) : key];
		if (isForbiddenKey(key)) return at;
		const found = forbiddenKeyPath(item, at, depth + 1);
		if (found) return found;
	}
	return undefined;
}
