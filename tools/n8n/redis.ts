/**
 * Redis for queue mode, from Debian's `redis-server` package (installed with apt-get when it is
 * missing and this runs as root), started on a free 127.0.0.1 port with append-only
 * persistence on, as production runs it, so a restart keeps the queue.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { cacheRoot } from './install';
import { withInstallLock } from './lock';
import { freePort, isPortInUse } from './ports';
import { N8nLog, N8nProcess, sleep } from './process';
import { reaper } from './reaper';
import { runCommand } from './run';

const READY_LINE = /Ready to accept connections/;
const READY_TIMEOUT_MS = 30_000;
/** Redis saves the append-only file and exits on SIGTERM. */
const STOP_GRACE_MS = 10_000;

type Log = (line: string) => void;

function findRedisServer(): string | undefined {
	for (const candidate of ['redis-server', '/usr/bin/redis-server']) {
		try {
			execFileSync(candidate, ['--version'], { stdio: 'ignore' });
			return candidate;
		} catch {
			// not there: try the next place, or install it
		}
	}
	return undefined;
}

/** `redis-server` from PATH, or from Debian's package installed now. */
export async function ensureRedisServer(log: Log): Promise<string> {
	const found = findRedisServer();
	if (found !== undefined) return found;
	if (process.getuid?.() !== 0) {
		throw new Error(
			'Queue mode needs redis-server: install it (Debian: sudo apt-get install redis-server) or run as root to let the harness install it',
		);
	}
	await withInstallLock(path.join(cacheRoot(), 'apt-redis-server'), log, async () => {
		if (findRedisServer() !== undefined) return;
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const apt = (line: string): void => log(`  apt-get: ${line}`);
		log('Redis: installing redis-server from Debian (apt-get update, then apt-get install)');
		await runCommand('apt-get', ['update'], { cwd: '/', env, log: apt });
		await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
			cwd: '/',
			env,
			log: apt,
		});
	});
	const installed = findRedisServer();
	if (installed === undefined)
		throw new Error('apt-get installed redis-server, but it does not run');
	return installed;
}

export class RedisServer {
	private server: N8nProcess | undefined;

	private constructor(
		private readonly binary: string,
		readonly port: number,
		private readonly dir: string,
		readonly log: N8nLog,
	) {}

	get pid(): number {
		if (this.server === undefined) throw new Error('Redis is not running');
		return this.server.pid;
	}

	static async start(folder: string, log: Log): Promise<RedisServer> {
		const binary = await ensureRedisServer(log);
		const dir = path.join(folder, 'redis');
		mkdirSync(dir, { recursive: true });
		const redis = new RedisServer(
			binary,
			await freePort(),
			dir,
			new N8nLog(path.join(dir, 'redis.log')),
		);
		await redis.launch();
		return redis;
	}

	/** Stops Redis (it writes its append-only file) and starts it again on the same port and data. */
	async restart(): Promise<void> {
		await this.stop();
		const deadline = Date.now() + 10_000;
		while (await isPortInUse(this.port)) {
			if (Date.now() > deadline)
				throw new Error(`Port ${this.port} is still in use 10 s after Redis stopped`);
			await sleep(50);
		}
		await this.launch();
	}

	async stop(): Promise<void> {
		if (this.server === undefined) return;
		await this.server.stop(STOP_GRACE_MS);
		reaper.forgetGroup(this.server.pid);
	}

	private async launch(): Promise<void> {
		const seenBefore = this.log.matching(READY_LINE).length;
		const args = [
			'--port',
			String(this.port),
			'--bind',
			'127.0.0.1',
			'--dir',
			this.dir,
			'--save',
			'',
			'--appendonly',
			'yes',
			'--daemonize',
			'no',
		];
		this.server = N8nProcess.spawnOther(
			this.binary,
			args,
			{ cwd: this.dir, env: process.env },
			this.log,
		);
		reaper.watchGroup(this.server.pid);
		await this.server.waitForLine(READY_LINE, seenBefore, READY_TIMEOUT_MS, this.log);
	}
}
