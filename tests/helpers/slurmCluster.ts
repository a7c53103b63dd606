/**
 * A one-node Slurm cluster for the batch-engine test, private to one test
 * run: munged, slurmctld and slurmd (Debian's slurm-wlm and munge) started
 * with their key, configuration, state, sockets and logs in a temporary
 * folder and free ports, so nothing under /etc or /run is touched, and
 * stopped by the process ids this module holds.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const DAEMONS = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd'];
const CLIENTS = ['sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo'];

/** True when CI runs the suite or LIFECYCLE_LAB_REQUIRE_SLURM is set: then a cluster that cannot start is a failure, not a skip. */
export const slurmRequired = [process.env.CI, process.env.LIFECYCLE_LAB_REQUIRE_SLURM].some((v) => v !== undefined && !['', '0', 'false'].includes(v.toLowerCase()));

function onPath(name: string): boolean {
	return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, name)));
}

/** Why a cluster cannot be started on this machine, or null when it can be tried. */
export function whySlurmCannotStart(): string | null {
	if (process.platform !== 'linux') return `Slurm runs on Linux, this is ${process.platform}`;
	if (process.getuid?.() !== 0) return 'starting slurmctld, slurmd and munged needs root (the test runs as another user)';
	const missing = [...DAEMONS.filter((path) => !existsSync(path)), ...CLIENTS.filter((name) => !onPath(name))];
	if (missing.length) return `not installed: ${missing.join(', ')} (apt-get install slurm-wlm munge, as .ci/run does)`;
	try {
		execFileSync('id', ['-u', 'munge'], { stdio: 'pipe' });
	} catch {
		return 'there is no munge user (the munge package creates it)';
	}
	return null;
}

export interface SlurmCluster {
	/** The private folder: configuration, state, logs. */
	dir: string;
	/** Environment for the clients (sbatch, squeue...): SLURM_CONF points at the private configuration. */
	env: NodeJS.ProcessEnv;
	/** Runs a Slurm client command; resolves with its standard output, rejects with its standard error. */
	client(command: string, args: string[], cwd?: string): Promise<string>;
	/** Waits until none of the jobs is pending, running or completing. */
	waitFor(jobIds: string[], timeoutMs?: number): Promise<void>;
	/** A job's fields from `scontrol show job` (JobState, ExitCode, Restarts...). */
	job(jobId: string): Promise<Record<string, string>>;
	/** Cancels every job, stops the daemons by their process ids and removes the folder; safe to call twice. */
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

function slurmConf(dir: string, node: string, ports: [number, number]): string {
	return `ClusterName=lifecyclelab
SlurmctldHost=${node}(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${dir}/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Look at pending jobs every 2 s, not every 60: a test's jobs start as soon as they can.
SchedulerParameters=sched_interval=2
ReturnToService=2
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=main Nodes=${node} Default=YES MaxTime=INFINITE State=UP
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last lines of a log, for an error message. */
function tail(path: string, lines = 8): string {
	return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n') : '(no log)';
}

/** Starts munged, slurmctld and slurmd; rejects, with everything it started stopped again, when the node is not idle within the time given. */
export async function startSlurmCluster(timeoutMs = 30_000): Promise<SlurmCluster> {
	const dir = mkdtempSync(join(tmpdir(), 'lifecycle-lab-slurm-'));
	// munged runs as the munge user and must reach its folder through this one.
	chmodSync(dir, 0o755);
	for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, sub));
	const munge = { uid: Number(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' })) };
	chownSync(join(dir, 'munge'), munge.uid, munge.gid);
	const key = join(dir, 'munge', 'munge.key');
	writeFileSync(key, randomBytes(1024), { mode: 0o400 });
	chownSync(key, munge.uid, munge.gid);
	const node = hostname();
	const conf = join(dir, 'slurm.conf');
	writeFileSync(conf, slurmConf(dir, node, [await freePort(), await freePort()]));
	const env = { ...process.env, SLURM_CONF: conf };

	const children: ChildProcess[] = [];
	const daemon = (path: string, args: string[], extra: { uid?: number; gid?: number } = {}) => {
		const log = openSync(join(dir, 'log', `${path.split('/').pop()}.out`), 'a');
		const child = spawn(path, args, { env, stdio: ['ignore', log, log], ...extra });
		children.push(child);
		return child;
	};
	// Whatever happens to the test, the daemons do not outlive this process.
	const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
	process.once('exit', killAll);

	const run = promisify(execFile);
	const client = async (command: string, args: string[], cwd?: string) => (await run(command, args, { env, cwd, maxBuffer: 16 << 20 })).stdout;
	const job = async (jobId: string) => {
		const text = await client('scontrol', ['show', 'job', '--oneliner', jobId]);
		return Object.fromEntries(text.trim().split(/\s+/).map((field) => [field.split('=')[0], field.slice(field.indexOf('=') + 1)]));
	};
	const waitFor = async (jobIds: string[], ms = 60_000) => {
		const deadline = Date.now() + ms;
		for (;;) {
			const queued = (await client('squeue', ['-h', '-o', '%i %T', '-j', jobIds.join(',')])).trim();
			if (!queued) return;
			if (Date.now() > deadline) throw new Error(`Slurm jobs still queued after ${ms / 1000} s:\n${queued}`);
			await sleep(300);
		}
	};
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		// Jobs first, so no job step (slurmstepd) is left behind by the daemons.
		try {
			await client('scancel', ['--full', '--user=root']);
			for (let i = 0; i < 50 && (await client('squeue', ['-h'])).trim(); i++) await sleep(200);
		} catch {
			// The controller is not answering: nothing can have been started through it.
		}
		for (const child of [...children].reverse()) {
			if (child.exitCode !== null || child.signalCode !== null) continue;
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await Promise.race([exited, sleep(5000)]);
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		}
		process.removeListener('exit', killAll);
		rmSync(dir, { recursive: true, force: true });
	};

	try {
		const socket = join(dir, 'munge', 'munge.socket');
		const mungeArgs = ['-F', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${dir}/munge/munged.pid`, `--log-file=${dir}/munge/munged.log`, `--seed-file=${dir}/munge/munged.seed`];
		daemon('/usr/sbin/munged', mungeArgs, munge);
		const deadline = Date.now() + timeoutMs;
		while (!existsSync(socket)) {
			if (Date.now() > deadline || children[0].exitCode !== null) throw new Error(`munged did not start:\n${tail(join(dir, 'log', 'munged.out'))}`);
			await sleep(100);
		}
		daemon('/usr/sbin/slurmctld', ['-D', '-f', conf]);
		daemon('/usr/sbin/slurmd', ['-D', '-f', conf, '-N', node]);
		for (;;) {
			const state = await client('sinfo', ['-h', '-o', '%T']).catch(() => '');
			if (state.trim() === 'idle') break;
			const dead = children.find((c) => c.exitCode !== null);
			if (dead || Date.now() > deadline) {
				const why = dead ? `${dead.spawnfile} exited with code ${dead.exitCode}` : `the node is not idle after ${timeoutMs / 1000} s (sinfo: ${state.trim() || 'no answer'})`;
				throw new Error(`the Slurm cluster did not start: ${why}\nslurmctld:\n${tail(join(dir, 'log', 'slurmctld.log'))}\nslurmd:\n${tail(join(dir, 'log', 'slurmd.log'))}`);
			}
			await sleep(200);
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return { dir, env, client, waitFor, job, stop };
}
