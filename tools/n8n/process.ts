import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';

import { probeStatus } from './http';
import { isPortInUse } from './ports';
import { reaper } from './reaper';
import { onEachLine } from './run';

/** Lines of output kept in memory for `tail`; the full log is in the log file. */
const KEPT_LOG_LINES = 5000;
/** How long restart() waits for the port to be released by the stopped process. */
const PORT_RELEASE_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 100;

/**
 * A process's output across every start: kept in memory for error messages and appended to a
 * file for whoever debugs a run afterwards. Appends are synchronous so the file needs no
 * closing and survives restarts and abrupt exits.
 */
export class ProcessLog {
	private readonly lines: string[] = [];

	constructor(readonly filePath: string) {}

	attach(stream: NodeJS.ReadableStream): void {
		stream.on('data', (chunk: Buffer) => appendFileSync(this.filePath, chunk));
		onEachLine(stream, (line) => this.add(line));
	}

	/** Harness events (start, stop, signals) go into the same log, marked as such. */
	note(line: string): void {
		const marked = `[harness ${new Date().toISOString()}] ${line}`;
		appendFileSync(this.filePath, `${marked}\n`);
		this.add(marked);
	}

	tail(count = 60): string {
		return this.lines.slice(-count).join('\n');
	}

	/** Lines kept so far that match, e.g. to find which worker ran an execution. */
	matching(pattern: RegExp): string[] {
		return this.lines.filter((line) => pattern.test(line));
	}

	private add(line: string): void {
		this.lines.push(line);
		if (this.lines.length > KEPT_LOG_LINES)
			this.lines.splice(0, this.lines.length - KEPT_LOG_LINES);
	}
}

export interface CommandLine {
	file: string;
	args: string[];
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** Run as this user and group (only root may ask): PostgreSQL refuses to run as root. */
	user?: { uid: number; gid: number };
}

/** When a started process counts as ready. */
export type Readiness =
	/** Each path answers 200 on http://127.0.0.1:<port>, in this order. */
	| { httpPaths: string[] }
	/** It printed a line matching this since it was started (servers without an HTTP probe). */
	| { logLine: RegExp };

export interface ManagedProcessSpec {
	/** What messages and progress lines call it: `n8n 2.41.1`, `n8n worker 1`, `Redis`. */
	name: string;
	/** The port it answers on; restart() waits until the stopped process has released it. */
	port: number;
	log: ProcessLog;
	/** Asked on every start, so each start may get fresh values (n8n's task broker port). */
	commandLine: () => Promise<CommandLine>;
	readiness: Readiness;
	readyTimeoutMs: number;
	/** The signal that asks it to shut down cleanly. Default SIGTERM. */
	stopSignal?: NodeJS.Signals;
	/** How long it may take to shut down before its process group gets SIGKILL. */
	stopGraceMs: number;
	/** Receives a line when it is ready, stopping and stopped. */
	progress?: (line: string) => void;
}

interface ExitStatus {
	code: number | null;
	signal: NodeJS.Signals | null;
}

/** One spawn of a managed process, in its own process group so signals reach its helpers too. */
class Run {
	readonly exited: Promise<ExitStatus>;

	/** stop() or kill() was called: its exit is no surprise. */
	endRequested = false;

	private exitStatus: ExitStatus | undefined;

	constructor(
		readonly pid: number,
		child: ChildProcess,
	) {
		this.exited = new Promise((resolve) => {
			child.once('exit', (code, signal) => {
				this.exitStatus = { code, signal };
				resolve(this.exitStatus);
			});
		});
	}

	get hasExited(): boolean {
		return this.exitStatus !== undefined;
	}

	describeExit(): string {
		if (this.exitStatus === undefined) return 'still running';
		const { code, signal } = this.exitStatus;
		return signal !== null ? `killed by ${signal}` : `exited with code ${String(code)}`;
	}

	/**
	 * `signal` to the group, SIGKILL after the grace period. Once the leader is gone, SIGKILL
	 * whatever it left in its group (n8n's task runners), so nothing outlives it.
	 */
	async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
		if (!this.hasExited) {
			this.signalGroup(signal);
			let graceTimer: NodeJS.Timeout | undefined;
			const graceOver = new Promise<boolean>((resolve) => {
				graceTimer = setTimeout(() => resolve(false), graceMs);
			});
			const inTime = await Promise.race([this.exited.then(() => true), graceOver]);
			clearTimeout(graceTimer);
			if (!inTime) this.signalGroup('SIGKILL');
			await this.exited;
		}
		this.signalGroup('SIGKILL');
	}

	signalGroup(signal: NodeJS.Signals): void {
		try {
			process.kill(-this.pid, signal);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
		}
	}
}

/**
 * A server the harness runs (an n8n process, PostgreSQL, Redis), started, stopped and
 * restarted the same way whatever it is. Each start spawns a new process group that the reaper
 * watches until stop(); the output of every start goes to the same log.
 */
export class ManagedProcess {
	readonly name: string;

	readonly port: number;

	readonly log: ProcessLog;

	private run: Run | undefined;

	constructor(private readonly spec: ManagedProcessSpec) {
		this.name = spec.name;
		this.port = spec.port;
		this.log = spec.log;
	}

	/** Pid of the current process (changes on restart); also its process group id. */
	get pid(): number {
		return this.current().pid;
	}

	/**
	 * Spawns it and waits until it is ready. If it exits or times out first, stops what is left
	 * of it and throws, quoting its log.
	 */
	async start(): Promise<void> {
		const startedAt = Date.now();
		const readyLinesBefore =
			'logLine' in this.spec.readiness ? this.log.matching(this.spec.readiness.logLine).length : 0;
		const { file, args, cwd, env, user } = await this.spec.commandLine();
		const child = spawn(file, args, {
			cwd,
			env,
			detached: true, // its own process group (setsid), see Run.stop()
			stdio: ['ignore', 'pipe', 'pipe'],
			...user,
		});
		if (child.pid === undefined) throw new Error(`Could not start ${file} ${args.join(' ')}`);
		if (child.stdout !== null) this.log.attach(child.stdout);
		if (child.stderr !== null) this.log.attach(child.stderr);
		const run = new Run(child.pid, child);
		this.run = run;
		reaper.watchGroup(run.pid);
		this.log.note(`started ${this.name} as pid ${run.pid} on port ${this.port}`);
		try {
			await this.waitUntilReady(run, readyLinesBefore);
		} catch (error) {
			await this.stop();
			throw error;
		}
		this.spec.progress?.(
			`${this.name}: ready on port ${this.port} after ${Date.now() - startedAt} ms (pid ${run.pid})`,
		);
	}

	/** The stop signal to its process group, SIGKILL after the grace period. */
	async stop(): Promise<void> {
		const { run } = this;
		if (run === undefined) return;
		run.endRequested = true;
		const wasRunning = !run.hasExited;
		if (wasRunning) this.report(`stopping (pid ${run.pid})`);
		await run.stop(this.spec.stopSignal ?? 'SIGTERM', this.spec.stopGraceMs);
		reaper.forgetGroup(run.pid);
		if (wasRunning) this.report(`pid ${run.pid} ${run.describeExit()}`);
	}

	/** SIGKILL to its process group at once, like a machine or container dying. */
	kill(): void {
		const { run } = this;
		if (run === undefined) return;
		run.endRequested = true;
		this.log.note(`SIGKILL to process group ${run.pid}`);
		run.signalGroup('SIGKILL');
	}

	/** Stops it (after kill(), this only reaps what is left of the group) and starts it again. */
	async restart(): Promise<void> {
		await this.stop();
		const deadline = Date.now() + PORT_RELEASE_TIMEOUT_MS;
		while (await isPortInUse(this.port)) {
			if (Date.now() > deadline)
				throw new Error(
					`Port ${this.port} is still in use ${PORT_RELEASE_TIMEOUT_MS} ms after ${this.name} stopped`,
				);
			await sleep(POLL_INTERVAL_MS);
		}
		await this.start();
	}

	/** Resolves, saying how, if the current process ends without stop() or kill(). */
	async unexpectedExit(): Promise<string> {
		const run = this.current();
		await run.exited;
		if (run.endRequested) return await new Promise<never>(() => undefined);
		return `${this.name} ${run.describeExit()}`;
	}

	private async waitUntilReady(run: Run, readyLinesBefore: number): Promise<void> {
		const { readiness, readyTimeoutMs } = this.spec;
		const checks =
			'httpPaths' in readiness
				? readiness.httpPaths.map((httpPath) => {
						const url = `http://127.0.0.1:${this.port}${httpPath}`;
						return {
							awaited: `${url} to answer 200`,
							passed: async () => (await probeStatus(url)) === 200,
						};
					})
				: [
						{
							awaited: `a line matching ${String(readiness.logLine)}`,
							passed: async () => this.log.matching(readiness.logLine).length > readyLinesBefore,
						},
					];
		const deadline = Date.now() + readyTimeoutMs;
		for (const { awaited, passed } of checks) {
			while (!(await passed())) {
				if (run.hasExited)
					throw new Error(
						`${this.name} (pid ${run.pid}) ${run.describeExit()} while waiting for ${awaited}. Last log lines:\n${this.log.tail()}`,
					);
				if (Date.now() > deadline)
					throw new Error(
						`${this.name} (pid ${run.pid}) was not ready within ${readyTimeoutMs} ms: still waiting for ${awaited}. Last log lines:\n${this.log.tail()}`,
					);
				await sleep(POLL_INTERVAL_MS);
			}
		}
	}

	private report(line: string): void {
		this.log.note(line);
		this.spec.progress?.(`${this.name}: ${line}`);
	}

	private current(): Run {
		if (this.run === undefined) throw new Error(`${this.name} has not been started`);
		return this.run;
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
