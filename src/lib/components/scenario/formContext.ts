/** What every field of the scenario form needs from the form: language, ids, problems and the way to change a value. */
import type { ScenarioProblem } from '../../engine/scenario/validate';
import type { FieldNode, Path, References } from './fields';
import type { Translate } from './problemMessages';

export type FormLanguage = 'en' | 'zh-CN';

export interface FormContext {
	/** The interface's translate function; the form's keys are under `field.`. */
	t: Translate;
	lang: FormLanguage;
	refs: References;
	/** The scenario currency's symbol, for money units. */
	currency: string;
	/** A document-unique element id for a field path. */
	idFor(path: string): string;
	/** Sets the value at `path` (undefined removes it); the form builds the next scenario. */
	set(path: Path, value: unknown): void;
	/** The problems shown at exactly this path. */
	problemsAt(path: string): ScenarioProblem[];
	/** How many problems are shown at this path or inside it. */
	countWithin(path: string): number;
	/** A problem's message in the interface language. */
	message(problem: ScenarioProblem): { text: string; translated: boolean };
	/** Editing a variant: what the base has at a field whose value differs from it (undefined where they agree). */
	baseline?(node: FieldNode, path: Path): BaseNote | undefined;
	/** Editing a variant: whether a part (a section, a policy) differs from the base, or is new to it. */
	changedWithin?(path: Path): 'changed' | 'added' | undefined;
}

/** A variant's field that differs from its base: the base's value in words, and the way back to it. */
export interface BaseNote {
	/** The base's value as the field shows values ("3,000", "on", "— (not in the base)"). */
	text: string;
	/** The value is the user's own text (an id), not interface language. */
	own?: boolean;
	/** Sets the field back to the base's value. */
	revert(): void;
	/** Said when the base changed this value since the cell was shown and the variant still overrides it. */
	overrides?: string;
}
