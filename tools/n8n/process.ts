import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';

import { probeStatus } from './http';
import type { N8nInstall, N8nVersion } from './install';
import { onEachLine } from './run';

/** Lines of n8n output kept in memory for `logTail`; the full log is in <userFolder>/n8n.log. */
const KEPT_LOG_LINES = 5000;

/**
 * n8n's output across every start of one instance: kept in memory for error messages and
 * appended to `<userFolder>/n8n.log` for whoever debugs a run afterwards. Appends are
 * synchronous so the file needs no closing and survives restarts and abrupt exits.
 */
export class N8nLog {
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

/** The n8n commands the harness runs as servers: one process, or queue mode's three roles. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

export interface LaunchSpec {
	install: N8nInstall;
	/** Default `start`. */
	command?: N8nCommand;
	/** The HTTP port n8n answers its readiness probes on (a worker's health server). */
	port: number;
	/** n8n 2.x always starts a task broker; two instances must not share its port. */
	brokerPort: number;
	userFolder: string;
	env: Record<string, string>;
}

export interface SpawnGroupOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** Run as this user and group (only root may ask). */
	user?: { uid: number; gid: number };
}

export interface ExitStatus {
	code: number | null;
	signal: NodeJS.Signals | null;
}

/**
 * Environment for any n8n command on a user folder: nothing phoning home,
 * cookies over plain HTTP, and the Node that runs this n8n version first in PATH (n8n 2.x
 * must run on Node 24, and anything it spawns with `node` must get the same one).
 */
export function n8nCommandEnvironment(
	install: N8nInstall,
	userFolder: string,
	env: Record<string, string>,
): NodeJS.ProcessEnv {
	// Jest sets NODE_ENV=test, and n8n started with it exits with code 1 before printing a line.
	const { NODE_ENV: _testRunnerMode, ...inherited } = process.env;
	return {
		...inherited,
		PATH: `${path.dirname(install.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		// 1.x task runners need a separate launcher binary; in-process is what 1.x users run.
		...(install.version.startsWith('1.') ? { N8N_RUNNERS_ENABLED: 'false' } : {}),
		...env,
	};
}

function serverEnvironment(spec: LaunchSpec): NodeJS.ProcessEnv {
	return n8nCommandEnvironment(spec.install, spec.userFolder, {
		N8N_PORT: String(spec.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		// The editor builds the URLs it shows from N8N_HOST; make them the ones that answer.
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(spec.brokerPort),
		...spec.env,
	});
}

/** One run of an n8n command (or of a server the harness needs beside it), in its own process group so stopping it takes its helpers too. */
export class N8nProcess {
	readonly pid: number;

	readonly exited: Promise<ExitStatus>;

	private exitStatus: ExitStatus | undefined;

	private constructor(
		child: ChildProcess,
		pid: number,
		/** Undefined for programs other than n8n. */
		private readonly version: N8nVersion | undefined,
	) {
		this.pid = pid;
		this.exited = new Promise((resolve) => {
			child.once('exit', (code, signal) => {
				this.exitStatus = { code, signal };
				resolve(this.exitStatus);
			});
		});
	}

	static launch(spec: LaunchSpec, log: N8nLog): N8nProcess {
		const command = spec.command ?? 'start';
		const launched = N8nProcess.spawnGroup(
			spec.install.nodeBin,
			[spec.install.n8nEntry, command],
			{ cwd: spec.userFolder, env: serverEnvironment(spec) },
			log,
		);
		log.note(
			`started n8n ${spec.install.version} ${command} as pid ${launched.pid} on port ${spec.port}`,
		);
		return new N8nProcess(launched.child, launched.pid, spec.install.version);
	}

	/** Any program in its own process group, its output going to `log` (PostgreSQL, Redis). */
	static spawnOther(
		command: string,
		args: string[],
		options: SpawnGroupOptions,
		log: N8nLog,
	): N8nProcess {
		const launched = N8nProcess.spawnGroup(command, args, options, log);
		log.note(`started ${path.basename(command)} as pid ${launched.pid}`);
		return new N8nProcess(launched.child, launched.pid, undefined);
	}

	private static spawnGroup(
		command: string,
		args: string[],
		options: SpawnGroupOptions,
		log: N8nLog,
	): { child: ChildProcess; pid: number } {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			detached: true, // own process group (setsid), see stop()
			stdio: ['ignore', 'pipe', 'pipe'],
			...options.user,
		});
		if (child.pid === undefined) throw new Error(`Could not start ${command} ${args.join(' ')}`);
		if (child.stdout !== null) log.attach(child.stdout);
		if (child.stderr !== null) log.attach(child.stderr);
		return { child, pid: child.pid };
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
	 * Waits until n8n answers `/healthz` and `/healthz/readiness` (database migrated, server
	 * up). n8n 1.x registers its REST routes a moment later, so there `/rest/settings` must
	 * answer too before any REST call.
	 */
	async waitUntilReady(baseUrl: string, timeoutMs: number, log: N8nLog): Promise<void> {
		const probes = [
			'/healthz',
			'/healthz/readiness',
			...(this.version?.startsWith('1.') ? ['/rest/settings'] : []),
		];
		const deadline = Date.now() + timeoutMs;
		for (const probe of probes) {
			while ((await probeStatus(`${baseUrl}${probe}`)) !== 200) {
				if (this.hasExited) {
					throw new Error(
						`n8n ${this.describeExit()} before ${probe} answered 200. Last log lines:\n${log.tail()}`,
					);
				}
				if (Date.now() > deadline) {
					throw new Error(
						`n8n did not answer 200 on ${baseUrl}${probe} within ${timeoutMs} ms. Last log lines:\n${log.tail()}`,
					);
				}
				await sleep(200);
			}
		}
	}

	/**
	 * Waits until the program prints a line matching `ready` (servers that have no HTTP probe).
	 * `seenBefore`: how many such lines the log held before this start (a restart logs into the same one).
	 */
	async waitForLine(
		ready: RegExp,
		seenBefore: number,
		timeoutMs: number,
		log: N8nLog,
	): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (log.matching(ready).length <= seenBefore) {
			if (this.hasExited)
				throw new Error(
					`pid ${this.pid} ${this.describeExit()} before printing ${String(ready)}. Last log lines:\n${log.tail()}`,
				);
			if (Date.now() > deadline)
				throw new Error(
					`pid ${this.pid} did not print ${String(ready)} within ${timeoutMs} ms. Last log lines:\n${log.tail()}`,
				);
			await sleep(50);
		}
	}

	/**
	 * `signal` (SIGTERM unless said otherwise) to the group, SIGKILL after the grace period.
	 * Once the leader is gone, SIGKILL whatever it left in its group (task runners), so
	 * nothing outlives it.
	 */
	async stop(graceMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
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

	kill(): void {
		this.signalGroup('SIGKILL');
	}

	private signalGroup(signal: NodeJS.Signals): void {
		try {
			process.kill(-this.pid, signal);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
		}
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
