/**
 * Working with notebooks: validation with paths, what depends on what (so an
 * edit marks the right cells stale), and import and export as JSON, with
 * migrations from older formats.
 */
import { forbiddenKeyPath } from '../engine/scenario/jsonPointer';
import { describeIssues, formatPath, formatProblem, type ScenarioProblem } from '../engine/scenario/validate';
import { mergePatch } from '../experiment/mergePatch';
import { applyEdits, deepEqual, editsOf } from '../experiment/variantEdits';
import { notebookSchema, type Cell, type Notebook } from './schema';

export type NotebookResult = { ok: true; notebook: Notebook } | { ok: false; problems: ScenarioProblem[] };

/**
 * Upgrades from older notebook formats, keyed by their schema id, each to the
 * next format. @1 is the first format, so there are none yet: when @2 comes,
 * its upgrade from @1 goes here and imports of @1 files keep working.
 */
const MIGRATIONS: Record<string, (old: Record<string, unknown>) => Record<string, unknown>> = {};

/** Validates a parsed notebook, migrating older formats first; checks that cells name cells that exist. */
export function validateNotebook(input: unknown): NotebookResult {
	let value = input;
	for (let step = 0; step < 10 && value && typeof value === 'object' && !Array.isArray(value); step++) {
		const schema = String((value as Record<string, unknown>).schema);
		// Own keys only: a schema named "__proto__" or "toString" is no migration.
		if (!Object.hasOwn(MIGRATIONS, schema)) break;
		const migrate = MIGRATIONS[schema];
		value = migrate(value as Record<string, unknown>);
	}
	const parsed = notebookSchema.safeParse(value);
	if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues, value) };
	const problems = checkReferences(parsed.data);
	return problems.length ? { ok: false, problems } : { ok: true, notebook: migrateVariantPatches(parsed.data) };
}

type Variant = Extract<Cell, { kind: 'experiment' }>['variants'][number];

/**
 * Older notebooks wrote each variant as a JSON Merge Patch of the whole
 * scenario (so a patch of `policies` replaced the base's policies and hid
 * later edits of the base). Each becomes the id-addressed edits that give
 * the same scenario; a patch whose edits would not give exactly the same
 * scenario is kept as it is, so nothing is lost.
 */
export function migrateVariantPatches(notebook: Notebook): Notebook {
	const cells = notebook.cells.map((cell) => {
		if (cell.kind !== 'experiment' || !cell.variants.some((v) => v.patch)) return cell;
		const source = notebook.cells.find((c) => c.id === cell.scenarioCell);
		const base = source?.kind === 'scenario' ? source.scenario : null;
		return base ? { ...cell, variants: cell.variants.map((v) => variantAsEdits(base, v)) } : cell;
	});
	return { ...notebook, cells };
}

function variantAsEdits(base: Record<string, unknown>, variant: Variant): Variant {
	if (!variant.patch) return variant;
	try {
		const target = applyEdits(mergePatch(base, variant.patch), variant.edits ?? {});
		const edits = editsOf(base, target);
		if (!deepEqual(applyEdits(base, edits), target)) return variant;
		const { patch: _, ...rest } = variant;
		return { ...rest, edits };
	} catch {
		return variant;
	}
}

function checkReferences(notebook: Notebook): ScenarioProblem[] {
	const problems: ScenarioProblem[] = [];
	const kinds = new Map<string, Cell['kind']>();
	notebook.cells.forEach((cell, i) => {
		if (kinds.has(cell.id)) problems.push({ path: `cells[${i}].id`, message: `duplicate cell id "${cell.id}"` });
		kinds.set(cell.id, cell.kind);
	});
	notebook.cells.forEach((cell, i) => {
		const ref = referenceOf(cell);
		if (ref === null) return;
		const wanted = 'scenarioCell' in cell ? 'scenario' : 'experiment';
		const field = 'scenarioCell' in cell ? 'scenarioCell' : 'source';
		if (kinds.get(ref) !== wanted) problems.push({ path: `cells[${i}].${field}`, message: `must name ${wanted === 'experiment' ? 'an' : 'a'} ${wanted} cell, "${ref}" is ${kinds.has(ref) ? `a ${kinds.get(ref)} cell` : 'not in the notebook'}` });
	});
	return problems;
}

/** The cell a cell reads: an experiment's or classroom's scenario cell, a chart's, KPI table's or test plan's experiment. */
export function referenceOf(cell: Cell): string | null {
	return 'scenarioCell' in cell ? cell.scenarioCell : 'source' in cell ? cell.source : null;
}

/** The cells that depend on `id`, directly or through others, in notebook order. */
export function dependents(notebook: Notebook, id: string): string[] {
	const stale = new Set([id]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const cell of notebook.cells) {
			const ref = referenceOf(cell);
			if (ref !== null && stale.has(ref) && !stale.has(cell.id)) {
				stale.add(cell.id);
				grew = true;
			}
		}
	}
	return notebook.cells.filter((c) => c.id !== id && stale.has(c.id)).map((c) => c.id);
}

/** The notebook as the JSON of an exported file. */
export function exportNotebook(notebook: Notebook): string {
	return JSON.stringify(notebook, null, 2) + '\n';
}

/** Thrown when an imported file is not a notebook; its message lists every problem. */
export class NotebookImportError extends Error {
	constructor(readonly problems: ScenarioProblem[]) {
		super(problems.map(formatProblem).join('\n'));
		this.name = 'NotebookImportError';
	}
}

/** Larger than any notebook the app writes (a text cell holds at most 200,000 characters, a kept fit 5,000 numbers a series). */
export const MAX_NOTEBOOK_CHARACTERS = 20_000_000;
/** Deeper than any notebook field goes; storing or copying a value nested thousands deep overflows the stack. */
export const MAX_NOTEBOOK_DEPTH = 64;

/** The depth of the deepest value, counted without recursion (the input may be nested far beyond the stack). */
function depthOver(value: unknown, limit: number): boolean {
	let level: unknown[] = [value];
	for (let depth = 0; level.length; depth++) {
		if (depth > limit) return true;
		level = level.flatMap((v) => (v !== null && typeof v === 'object' ? Object.values(v) : []));
	}
	return false;
}

/** Size, depth and keys a notebook file may have, checked before anything reads its fields. */
function shapeProblems(text: string, value: unknown): ScenarioProblem[] {
	if (depthOver(value, MAX_NOTEBOOK_DEPTH)) return [{ path: '', message: `is nested more than ${MAX_NOTEBOOK_DEPTH} levels deep; no notebook field is` }];
	const forbidden = forbiddenKeyPath(value);
	if (forbidden) return [{ path: formatPath(forbidden), message: `"${forbidden.at(-1)}" is not allowed as a key: it names JavaScript's object machinery, not notebook data` }];
	return text.length > MAX_NOTEBOOK_CHARACTERS ? [{ path: '', message: `the file has ${text.length} characters; a notebook has at most ${MAX_NOTEBOOK_CHARACTERS}` }] : [];
}

/** Reads an exported notebook file's text: JSON errors and schema problems are reported, never half-imported. */
export function importNotebook(text: string): Notebook {
	if (text.length > MAX_NOTEBOOK_CHARACTERS) throw new NotebookImportError(shapeProblems(text, null));
	let value: unknown;
	try {
		// A byte-order mark is not part of the JSON.
		value = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (error) {
		throw new NotebookImportError([{ path: '', message: `not JSON: ${(error as Error).message}` }]);
	}
	const problems = shapeProblems(text, value);
	if (problems.length) throw new NotebookImportError(problems);
	const result = validateNotebook(value);
	if (!result.ok) throw new NotebookImportError(result.problems);
	return result.notebook;
}
