/** What every field of the scenario form needs from the form: language, ids, problems and the way to change a value. */
import type { ScenarioProblem } from '../../engine/scenario/validate';
import type { Path, References } from './fields';
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
}
