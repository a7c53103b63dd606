/**
 * Reading the files a command works from (scenarios, experiments, transaction
 * logs), each recorded with its SHA-256: a shard's partial file carries them,
 * and a merge refuses to go on if any of them has changed since.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from './usageError';

/** Every file this command has read, by the path it was read from, with its SHA-256. */
export const inputsRead = new Map<string, string>();

/** During a merge, the digests the shards recorded; a file read again must still have them. */
let recorded: ReadonlyMap<string, string> = new Map();

/** Sets the digests the shards recorded, which every later read is checked against. */
export function expectInputs(digests: ReadonlyMap<string, string>): void {
	recorded = digests;
}

/** SHA-256 of bytes or text, as hex. */
export function sha256(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** The SHA-256 of a file, or undefined when it cannot be read. */
export function fileDigest(path: string): string | undefined {
	try {
		return sha256(readFileSync(path));
	} catch {
		return undefined;
	}
}

/** Records a file read (streamed, or whole) by its digest; during a merge, refuses one that has changed since the shards read it. */
export function recordInput(path: string, digest: string): void {
	const expected = recorded.get(path);
	if (expected !== undefined && expected !== digest) throw new UsageError(`${path} has changed since the shards ran`);
	inputsRead.set(path, digest);
}

/** A text file's content (a UTF-8 byte-order mark dropped), recorded with its digest; `what` names it in errors. */
export function readInput(path: string, what: string): string {
	let bytes: Buffer;
	try {
		bytes = readFileSync(path);
	} catch (error) {
		throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
	recordInput(path, sha256(bytes));
	// Editors on Windows often start UTF-8 files with a byte-order mark; it is not part of the content.
	return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
