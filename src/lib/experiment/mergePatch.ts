/** JSON Merge Patch (RFC 7396): objects merge key by key, null deletes, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
	if (!isObject(patch)) return structuredClone(patch);
	const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete result[key];
		else result[key] = mergePatch(result[key], value);
	}
	return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets the value at a JSON Pointer (RFC 6901) in a copy of `target`; the path's parents must exist. */
export function setAtPointer(target: unknown, pointer: string, value: unknown): unknown {
	if (!pointer.startsWith('/')) throw new Error(`a JSON Pointer starts with "/", got "${pointer}"`);
	const keys = pointer
		.slice(1)
		.split('/')
		.map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
	const root = structuredClone(target) as Record<string, unknown>;
	let node: unknown = root;
	for (let i = 0; i < keys.length - 1; i++) {
		node = (node as Record<string, unknown>)?.[keys[i]];
		if (node === null || typeof node !== 'object') throw new Error(`${pointer}: nothing at /${keys.slice(0, i + 1).join('/')}`);
	}
	const last = keys[keys.length - 1];
	if (Array.isArray(node) && !(Number(last) >= 0 && Number(last) < node.length)) throw new Error(`${pointer}: no element ${last}`);
	(node as Record<string, unknown>)[last] = value;
	return root;
}

/** The value at a JSON Pointer, or undefined. */
export function getAtPointer(target: unknown, pointer: string): unknown {
	let node: unknown = target;
	for (const raw of pointer.slice(1).split('/')) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
	}
	return node;
}
