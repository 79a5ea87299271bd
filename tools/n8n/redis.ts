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
import { freePort } from './ports';
import { ManagedProcess, ProcessLog } from './process';
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

/** Redis with its data in `<folder>/redis`; `restart()` keeps the queue (append-only file). */
export async function startRedis(folder: string, log: Log): Promise<ManagedProcess> {
	const binary = await ensureRedisServer(log);
	const dir = path.join(folder, 'redis');
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const server = new ManagedProcess({
		name: 'Redis',
		port,
		log: new ProcessLog(path.join(dir, 'redis.log')),
		commandLine: async () => ({
			file: binary,
			args: [
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--dir',
				dir,
				'--save',
				'',
				'--appendonly',
				'yes',
				'--daemonize',
				'no',
			],
			cwd: dir,
			env: process.env,
		}),
		readiness: { logLine: READY_LINE },
		readyTimeoutMs: READY_TIMEOUT_MS,
		stopGraceMs: STOP_GRACE_MS,
		progress: log,
	});
	await server.start();
	return server;
}
