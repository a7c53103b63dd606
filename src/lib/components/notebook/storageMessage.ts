/** A storage failure in the interface's language, with the browser's own words kept for support. */
import { locale } from '../../i18n/locale.svelte';
import type { StorageError } from '../../storage/notebookStore';

export function storageMessage(error: StorageError): string {
	return locale.t(`storage.${error.problem}`);
}
