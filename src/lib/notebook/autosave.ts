/**
 * Autosave: every edit schedules a save, coalesced, so an edit is stored
 * within `delayMs` (half a second by default, inside the promised second);
 * flush() saves at once (before the page goes away). A failed save leaves the
 * state "failed" with the error and keeps the edit: the next edit or flush()
 * tries again, so nothing typed is dropped by a save that failed.
 */
export type AutosaveState = 'saved' | 'pending' | 'saving' | 'failed';

export class Autosave<T> {
	state: AutosaveState = 'saved';
	error: Error | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private latest: T | null = null;
	private saving: Promise<void> = Promise.resolve();

	constructor(
		private readonly save: (value: T) => Promise<void>,
		private readonly onChange: (state: AutosaveState, error: Error | null) => void = () => {},
		private readonly delayMs = 500
	) {}

	/** Records an edit: the value is saved within delayMs. */
	schedule(value: T): void {
		this.latest = value;
		this.set('pending', null);
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.flush(), this.delayMs);
	}

	/** Saves the latest edit now (saves never overlap; the newest value wins). */
	async flush(): Promise<void> {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		const value = this.latest;
		if (value === null) return this.saving;
		this.latest = null;
		this.saving = this.saving.then(async () => {
			this.set('saving', null);
			try {
				await this.save(value);
				this.set(this.latest === null ? 'saved' : 'pending', null);
			} catch (error) {
				// Keep the unsaved edit for the next attempt (unless a newer one replaced it); a conflict waits for the user to choose whose copy to keep.
				if (this.latest === null && (error as { problem?: string })?.problem !== 'conflict') this.latest = value;
				this.set('failed', error as Error);
			}
		});
		return this.saving;
	}

	private set(state: AutosaveState, error: Error | null): void {
		this.state = state;
		this.error = error;
		this.onChange(state, error);
	}
}
