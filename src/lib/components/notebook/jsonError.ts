/** A JSON syntax error with its line and column, found from the parser's offset where the engine gives one. */
import { locale } from '../../i18n/locale.svelte';

export function jsonError(text: string, error: Error): string {
	const match = /position (\d+)/.exec(error.message);
	if (!match) return locale.t('json.invalid', { message: error.message });
	const before = text.slice(0, Number(match[1])).split('\n');
	return locale.t('json.invalidAt', { line: before.length, column: before.at(-1)!.length + 1, message: error.message });
}
