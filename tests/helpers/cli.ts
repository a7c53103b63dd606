/** The command line run as a user runs it (the esbuild launcher), for the CLI tests. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const root = new URL('../../', import.meta.url).pathname;

/** Runs `npm run sim -- <args>`; resolves with the exit code and both streams, whatever the code. */
export async function sim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run(process.execPath, ['src/cli/launch.mjs', 'main', ...args], { cwd: root, maxBuffer: 64 << 20 });
		return { code: 0, stdout, stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}
