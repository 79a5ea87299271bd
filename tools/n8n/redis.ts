/**
 * Redis for queue mode, from Debian's `redis-server` package (installed with apt-get when it is
 * missing and this runs as root), started on a free 127.0.0.1 port with append-only
 * persistence on, as production runs it, so a restart keeps the queue.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { ensureDebianProgram, type DebianProgram } from './debian';
import { freePort } from './ports';
import { ManagedProcess, ProcessLog } from './process';

const READY_LINE = /Ready to accept connections/;
const READY_TIMEOUT_MS = 30_000;
/** Redis saves the append-only file and exits on SIGTERM. */
const STOP_GRACE_MS = 10_000;

type Log = (line: string) => void;

const REDIS: DebianProgram = {
	name: 'Redis',
	debianPackage: 'redis-server',
	candidates: ['redis-server', '/usr/bin/redis-server'],
	versionArgs: ['--version'],
};

/** `redis-server` from PATH, or from Debian's package installed now. */
export async function ensureRedisServer(log: Log): Promise<string> {
	return await ensureDebianProgram(REDIS, log);
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
