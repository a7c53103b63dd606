/**
 * The built app served by vite preview for a browser benchmark: started,
 * waited for, and stopped by its process id, SIGKILL after SIGTERM if it
 * lingers (vite preview can outlive a SIGTERM while a browser's connections
 * stay open, and was seen still serving an old build an hour later).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface PreviewServer {
	url: string;
	stop(): Promise<void>;
}

/** Serves `root`'s build at 127.0.0.1:`port` and waits until it answers (a minute at most). */
export async function startPreview(root: string, port: number): Promise<PreviewServer> {
	const server = spawn(join(root, 'node_modules/.bin/vite'), ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore' });
	const url = `http://127.0.0.1:${port}/`;
	const stop = () => stopProcess(server);
	try {
		await waitForServer(url, server, port);
	} catch (error) {
		await stop();
		throw error;
	}
	return { url, stop };
}

async function waitForServer(url: string, server: ChildProcess, port: number): Promise<void> {
	for (let i = 0; i < 600; i++) {
		if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode} (is port ${port} taken? set LIFECYCLE_LAB_PORT_OFFSET)`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`vite preview did not answer at ${url} within a minute`);
}

/** Ends a child process by its id and waits for it: SIGTERM, then SIGKILL if it lingers. */
export async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
	await exited;
	clearTimeout(timer);
}
