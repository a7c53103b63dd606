/** Autosave interrupted: a save that fails (storage full, the tab going away) loses no edit; the next attempt stores the newest one. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Autosave, type AutosaveState } from '../../src/lib/notebook/autosave';
import { StorageError } from '../../src/lib/storage/notebookStore';

/** A save that can be made to fail, and records what it stored. */
function storage() {
	const state = { failing: false, stored: [] as string[], attempts: [] as string[] };
	const save = async (value: string) => {
		state.attempts.push(value);
		await new Promise((r) => setTimeout(r, 5));
		if (state.failing) throw new StorageError('quota', 'full');
		state.stored.push(value);
	};
	return { state, save };
}

afterEach(() => vi.useRealTimers());

describe('autosave interrupted', () => {
	it('an edit whose save fails is kept, and saved by the next attempt even without a new edit', async () => {
		const { state, save } = storage();
		const states: AutosaveState[] = [];
		const autosave = new Autosave<string>(save, (s) => states.push(s));
		state.failing = true;
		autosave.schedule('typed before the disk filled');
		await autosave.flush();
		expect(autosave.state).toBe('failed');
		expect(autosave.error).toBeInstanceOf(StorageError);
		state.failing = false;
		await autosave.flush(); // a retry, or the page going away
		expect(state.stored).toEqual(['typed before the disk filled']);
		expect(autosave.state).toBe('saved');
		expect(states).toEqual(['pending', 'saving', 'failed', 'saving', 'saved']);
	});

	it('an edit made while a save is in flight survives that save failing; the newest edit wins', async () => {
		const { state, save } = storage();
		const autosave = new Autosave<string>(save);
		state.failing = true;
		autosave.schedule('v1');
		const first = autosave.flush();
		autosave.schedule('v2'); // typed while v1 is being written
		await first;
		expect(autosave.state).toBe('failed');
		state.failing = false;
		await autosave.flush();
		expect(state.stored).toEqual(['v2']);
		expect(autosave.state).toBe('saved');
	});

	it('the timer retries a failed edit with the next edit, within the promised second', async () => {
		vi.useFakeTimers();
		const { state, save } = storage();
		const autosave = new Autosave<string>(save);
		state.failing = true;
		autosave.schedule('a');
		await vi.advanceTimersByTimeAsync(600);
		expect(autosave.state).toBe('failed');
		state.failing = false;
		autosave.schedule('ab');
		await vi.advanceTimersByTimeAsync(600);
		expect(state.stored).toEqual(['ab']);
		expect(state.attempts).toEqual(['a', 'ab']);
	});

	it('a conflict with another tab is not retried behind the user’s back', async () => {
		let attempts = 0;
		const autosave = new Autosave<string>(async () => {
			attempts++;
			throw new StorageError('conflict', 'saved elsewhere');
		});
		autosave.schedule('mine');
		await autosave.flush();
		await autosave.flush();
		expect(attempts).toBe(1);
		expect(autosave.state).toBe('failed');
	});
});
