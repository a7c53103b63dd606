import { isForbiddenKey, PointerError, pointerOf, type Path } from '../engine/scenario/jsonPointer';

/**
 * JSON Merge Patch (RFC 7396): objects merge key by key, null deletes, anything
 * else (arrays too) replaces. A `__proto__`, `prototype` or `constructor` key
 * is refused with its location (a PointerError), never silently dropped.
 */
export function mergePatch(target: unknown, patch: unknown, at: Path = []): unknown {
	if (!isObject(patch)) return structuredClone(patch);
	const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
	for (const [key, value] of Object.entries(patch)) {
		if (isForbiddenKey(key)) throw new PointerError(pointerOf([...at, key]), `a patch may not set "${key}": it names JavaScript's object machinery, not scenario data`);
		if (value === null) delete result[key];
		else result[key] = mergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value, [...at, key]);
	}
	return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
