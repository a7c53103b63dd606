/**
 * Autosave and the tabs that share a notebook. Every edit is saved within
 * half a second, but only over the stored copy this tab's edits are based
 * on: when another tab saved in between, the save is refused (a conflict),
 * this tab's copy is kept among the versions at once, and the user chooses
 * whose copy stays current. So every edit lands in the notebook or in a
 * version, and a tab says when closing it now would leave a choice open.
 */
import { Autosave, type AutosaveState } from '../../../notebook/autosave';
import type { Notebook } from '../../../notebook/schema';
import { StorageError, type NotebookStore, type StorageProblem } from '../../../storage/notebookStore';

/** Tabs tell each other here when they save a notebook. */
export const SAVED_CHANNEL = 'lifecycle-lab.saved';

export class SaveSync {
	saveState = $state<AutosaveState>('saved');
	saveError = $state('');
	/** Why the last save failed, for the message in the user's language. */
	saveProblem = $state<StorageProblem | null>(null);
	/** Another tab saved this notebook over the version this tab's edits are based on. */
	conflict = $state(false);

	private readonly autosave: Autosave<Notebook>;
	/** The stored updatedAt this tab's document is based on: a save over anything else is a conflict. */
	private basedOn: string | null;
	private channel: BroadcastChannel | null = null;

	constructor(
		notebook: Notebook,
		private readonly store: NotebookStore | null,
		/** Another tab saved and this one has nothing unsaved: follow it. */
		private readonly follow: () => void
	) {
		this.basedOn = store ? notebook.updatedAt : null;
		this.autosave = new Autosave(
			(nb) => this.save(nb),
			(state, error) => {
				this.saveState = state;
				this.saveError = error?.message ?? '';
				this.saveProblem = error ? (error instanceof StorageError ? error.problem : 'failed') : null;
				if (error instanceof StorageError && error.problem === 'conflict') this.conflict = true;
			}
		);
		if (store && typeof BroadcastChannel !== 'undefined') {
			this.channel = new BroadcastChannel(SAVED_CHANNEL);
			this.channel.onmessage = (event) => this.savedElsewhere(notebook.id, event.data);
		}
	}

	/** Whether closing the tab now would leave a conflict unresolved or an edit unsaved after a failed save (a pending one is flushed on the way out). */
	get unsafeToClose(): boolean {
		return this.conflict || this.saveState === 'failed';
	}

	/** Records an edit: saved within half a second. */
	schedule(notebook: Notebook): void {
		this.autosave.schedule(notebook);
	}

	/** Saves now (before the page goes away). */
	flush(): Promise<void> {
		return this.autosave.flush();
	}

	/** The other tab's copy, now current here: this tab's edits are based on it from now on. */
	async theirs(id: string): Promise<Notebook | undefined> {
		const theirs = await this.store?.get(id);
		if (!theirs) return undefined;
		this.basedOn = theirs.updatedAt;
		this.conflict = false;
		return theirs;
	}

	/** Saves `notebook` over the other tab's copy (which stays among the versions, so nothing is lost). */
	async keepMine(notebook: Notebook): Promise<void> {
		const theirs = await this.store?.get(notebook.id);
		this.basedOn = theirs?.updatedAt ?? null;
		this.conflict = false;
		this.autosave.schedule({ ...notebook, updatedAt: new Date().toISOString() });
		await this.autosave.flush();
	}

	/** Saves what is pending, then stops listening to other tabs. */
	close(): Promise<void> {
		const saved = this.autosave.flush();
		this.channel?.close();
		this.channel = null;
		return saved;
	}

	private async save(nb: Notebook): Promise<void> {
		if (!this.store) throw new StorageError('unavailable', 'storage unavailable');
		try {
			await this.store.save(nb, this.basedOn);
		} catch (error) {
			// Refused by a conflict: keep this tab's copy as a version, so the edit is never lost whichever copy the user keeps.
			if (error instanceof StorageError && error.problem === 'conflict') await this.store.keepVersion(nb).catch(() => {});
			throw error;
		}
		this.basedOn = nb.updatedAt;
		this.channel?.postMessage({ id: nb.id, updatedAt: nb.updatedAt });
	}

	/** Another tab saved a notebook: this one follows when it has no edits of its own, else the user is asked. */
	private savedElsewhere(id: string, message: { id: string; updatedAt: string }): void {
		if (message.id !== id || message.updatedAt === this.basedOn) return;
		if (this.saveState === 'saved' && !this.conflict) this.follow();
		else this.conflict = true;
	}
}
