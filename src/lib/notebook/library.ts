/**
 * Where notebooks come from: the examples shipped in scenarios/notebooks,
 * a new notebook started from the six-stage template, and copies (a
 * duplicate, an example opened, an import whose id is taken) with an id of
 * their own, so nothing is ever overwritten by accident.
 */
import sixStage from '../../../scenarios/six-stage.json';
import { NOTEBOOK_SCHEMA_ID, type Notebook } from './schema';
import { validateNotebook } from './notebook';

const files = import.meta.glob<unknown>('/scenarios/notebooks/*.json', { eager: true, import: 'default' });

/** The shipped example notebooks, validated at load (a broken example is a build error, caught by the tests). */
export const exampleNotebooks: Notebook[] = Object.entries(files)
	.map(([path, raw]) => {
		const result = validateNotebook(raw);
		if (!result.ok) throw new Error(`${path}: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
		return result.notebook;
	})
	.sort((a, b) => a.id.localeCompare(b.id));

/** A fresh id for a notebook or a cell. */
export function freshId(prefix: string): string {
	return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

/** A copy under a new id, dated now. */
export function copyOf(notebook: Notebook, title = notebook.title): Notebook {
	const now = new Date().toISOString();
	return { ...structuredClone(notebook), id: freshId('nb'), title, createdAt: now, updatedAt: now };
}

/** A new notebook: a heading and the six-stage template to start from. */
export function newNotebook(title: string, heading: string): Notebook {
	const now = new Date().toISOString();
	const result = validateNotebook({
		schema: NOTEBOOK_SCHEMA_ID,
		id: freshId('nb'),
		title,
		createdAt: now,
		updatedAt: now,
		cells: [
			{ id: freshId('text'), kind: 'text', markdown: `# ${heading}` },
			{ id: freshId('scenario'), kind: 'scenario', scenario: structuredClone(sixStage) }
		]
	});
	if (!result.ok) throw new Error('the new-notebook template is invalid');
	return result.notebook;
}
