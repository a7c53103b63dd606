/** What every field of the scenario form shows around its control, computed once per field: ids, texts and problems. */
import { formatPath, type ScenarioProblem } from '../../../engine/scenario/validate';
import { boundsKind, formatBound, inputBounds, stringRule, type FieldNode, type NumberField, type Path, type StringField } from '../fields';
import type { BaseNote, FormContext } from '../formContext';

export interface FieldInfo {
	pathText: string;
	/** The element id of the field's control; help and errors hang off it. */
	id: string;
	problems: ScenarioProblem[];
	invalid: boolean;
	label: string;
	help: string;
	unit: string | undefined;
	/** The help's id and, with problems, the error list's (and the base's value, editing a variant). */
	describedBy: string;
	/** Editing a variant, where this field differs from the base: the base's value. */
	base: BaseNote | undefined;
}

/** A translation that may be missing (a field without a unit): undefined rather than the key. */
export function optionalText(ctx: FormContext, key: string, options?: Record<string, unknown>): string | undefined {
	const text = ctx.t(key, options);
	return text === key || text === '' ? undefined : text;
}

/** The field's ids, label, unit, help and problems. */
export function fieldInfo(node: FieldNode, path: Path, ctx: FormContext): FieldInfo {
	const pathText = formatPath(path);
	const id = ctx.idFor(pathText);
	const problems = ctx.problemsAt(pathText);
	const invalid = problems.length > 0;
	// Containers differ whenever a field inside them does: only single values show the base's.
	const base = ['object', 'union', 'array', 'record', 'localized'].includes(node.kind) ? undefined : ctx.baseline?.(node, path);
	return {
		pathText,
		id,
		problems,
		invalid,
		label: ctx.t(`field.${node.key}.label`),
		help: ctx.t(`field.${node.key}.help`),
		unit: optionalText(ctx, `field.${node.key}.unit`, { currency: ctx.currency }),
		describedBy: [`${id}-help`, invalid ? `${id}-errors` : '', base ? `${id}-base` : ''].filter(Boolean).join(' '),
		base
	};
}

/** The aria-describedby of an inner input (a text pair's language, a record's entry): the group's help and its own errors. */
export function innerDescribedBy(groupId: string, innerId: string, problems: readonly ScenarioProblem[]): string {
	return [`${groupId}-help`, problems.length ? `${innerId}-errors` : ''].filter(Boolean).join(' ');
}

/** "0 to 1 · whole number": a number field's bounds in words. */
export function numberBounds(node: NumberField, ctx: FormContext): string {
	const { min, max } = inputBounds(node);
	if (min === undefined || max === undefined) return '';
	const range = ctx.t(`field._ui.${boundsKind(node)}`, { min: formatBound(min, ctx.lang), max: formatBound(max, ctx.lang) });
	return node.integer ? `${range} · ${ctx.t('field._ui.wholeNumber')}` : range;
}

/** A text field's rule in words (an id's letters, a code's form, a length). */
export function stringBounds(node: StringField, ctx: FormContext): string {
	const rule = stringRule(node);
	return rule ? ctx.t(`field._ui.${rule}`, { max: node.maxLength }) : '';
}

/** An option's label, or the option itself when it has none. */
export function optionLabel(ctx: FormContext, key: string, option: string): string {
	return optionalText(ctx, `field.${key}.options.${option}`) ?? option;
}

/** A value as the form shows it, in words: a number grouped, a switch on or off, an option by its label; undefined as "not set". */
export function valueText(node: FieldNode, value: unknown, ctx: FormContext): string {
	const shown = value ?? node.default;
	if (shown === undefined) return ctx.t('strategy.variant.absent');
	if (typeof shown === 'number') return new Intl.NumberFormat(ctx.lang, { maximumFractionDigits: 6 }).format(shown);
	if (typeof shown === 'boolean') return ctx.t(shown ? 'strategy.variant.on' : 'strategy.variant.off');
	if (typeof shown === 'string') return node.kind === 'enum' ? optionLabel(ctx, node.key, shown) : shown;
	return JSON.stringify(shown);
}
