/**
 * What a variant changes in its base, as the scenario form draws it: the
 * changed fields grouped by the policy, stage or channel they belong to
 * (paths into the variant's scenario, for the form's fields; a policy it
 * adds whole by its key values), and the elements of the base it removes.
 * Pure.
 */
import { deepEqual, editsOf, idPathOf, indexPath, valueAtId } from '../../experiment/variantEdits';
import { isRecord, valueAt, type FieldNode, type Path } from './fields';
import { POLICY_LEVERS, type LeverGroup } from './levers';

/** A group of changed fields; `added` when the variant adds the whole element (its fields are all new). */
export interface ChangeGroup extends LeverGroup {
	added?: boolean;
}

/** An element of the base the variant removes, by its id path and its name. */
export interface Removal {
	path: string;
	name: string;
}

/** The changed fields of `scenario` against `base`, grouped, and the base's elements it removes. */
export function changedGroups(base: unknown, scenario: unknown, lang: string): { groups: ChangeGroup[]; removed: Removal[] } {
	const groups = new Map<string, ChangeGroup>();
	const removed: Removal[] = [];
	for (const [idPath, value] of Object.entries(editsOf(base, scenario))) {
		const path = value === null ? null : indexPath(scenario, idPath);
		if (!path) {
			removed.push({ path: idPath, name: nameOf(valueAtId(base, idPath), idPath, lang) });
			continue;
		}
		const [list, index] = path;
		const element = typeof index === 'number' ? valueAt(scenario, [list, index]) : undefined;
		const key = isRecord(element) && typeof element.id === 'string' ? `${list}-${element.id}` : 'scenario';
		let group = groups.get(key);
		if (!group) {
			group = key === 'scenario' ? { key, paths: [] } : { key, item: named(element as Record<string, unknown>), paths: [] };
			groups.set(key, group);
		}
		if (key !== 'scenario' && path.length === 2) {
			// An added policy leads with its key values, like the scenario cell's levers; the full form has the rest.
			group.added = true;
			const levers = list === 'policies' && isRecord(element) ? POLICY_LEVERS[String(element.type)] : undefined;
			group.paths.push(...(levers ? [[list, index, 'enabled'], ...levers.map((f) => [list, index, f])] : [path]) as Path[]);
		} else group.paths.push(path);
	}
	// A policy's switch leads its group, as in the scenario cell's levers.
	for (const group of groups.values()) group.paths.sort((a, b) => Number(b[2] === 'enabled') - Number(a[2] === 'enabled'));
	// The scenario's own fields lead, then each element in the order of its changes.
	const ordered = [...groups.values()].sort((a, b) => Number(b.key === 'scenario') - Number(a.key === 'scenario'));
	return { groups: ordered, removed };
}

function named(item: Record<string, unknown>): NonNullable<LeverGroup['item']> {
	return { id: String(item.id), labels: isRecord(item.labels) ? (item.labels as Record<string, string>) : undefined, enabled: item.enabled !== false };
}

function nameOf(value: unknown, path: string, lang: string): string {
	if (isRecord(value) && isRecord(value.labels) && typeof value.labels[lang] === 'string') return value.labels[lang] as string;
	return isRecord(value) && typeof value.id === 'string' ? value.id : path;
}

/** What the base has at a field of the variant's scenario, when the two differ: its value (undefined: the base has none). */
export function baseValueAt(base: unknown, scenario: unknown, node: FieldNode, path: Path): { differs: boolean; value: unknown } {
	const idPath = idPathOf(scenario, path);
	if (idPath === null) return { differs: false, value: undefined };
	let value: unknown;
	try {
		// Inside an element the base lacks (a policy the variant adds) every field is new: the element says so once.
		const element = typeof path[1] === 'number' ? idPathOf(scenario, path.slice(0, 2)) : null;
		if (element !== null && path.length > 2 && valueAtId(base, element) === undefined) return { differs: false, value: undefined };
		value = valueAtId(base, idPath);
	} catch {
		return { differs: false, value: undefined };
	}
	const mine = valueAt(scenario, path);
	// An absent optional value reads as its default on both sides.
	const fallback = 'default' in node ? node.default : undefined;
	return { differs: !deepEqual(mine ?? fallback, value ?? fallback), value };
}
