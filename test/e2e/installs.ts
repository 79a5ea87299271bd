/**
 * What the end-to-end files start, installed into the cache before they run: n8n 2.41.1, n8n
 * 1.123.81, queue mode's PostgreSQL and Redis. Each is cached after its first install, which
 * takes minutes and so happens here rather than inside a test's time limit.
 *
 * Two callers: Jest's global setup installs what the selected files need, and `npm test` runs
 * this file on its own (`npm run test:installs`) side by side with lint and the unit tests, so
 * a cold machine installs while it checks. Installs hold a lock per cache folder, so the second
 * caller waits for or reuses the first one's work.
 */
import { readdirSync } from 'fs';
import { join } from 'path';

import { ensureN8n, N8N_VERSIONS, type N8nVersion } from '../../tools/n8n/install';
import { ensurePostgresInstall } from '../../tools/n8n/postgres';
import { ensureRedisServer } from '../../tools/n8n/redis';
import { ensureNginx } from '../../tools/n8n/nginx';

export type Need = N8nVersion | 'queue servers';
type Log = (line: string) => void;

/** What each end-to-end file starts; a file missing here stops the run until it is added. */
const NEEDS: Record<string, Need[]> = {
	bench: ['2.41.1'],
	editor: ['2.41.1'],
	'example-billing': ['2.41.1', '1.123.81'],
	'example-crm': ['2.41.1', '1.123.81'],
	'example-flags': ['2.41.1', '1.123.81'],
	'example-sla': ['2.41.1', '1.123.81'],
	fault: ['2.41.1'],
	install: ['2.41.1'],
	installer: ['2.41.1', '1.123.81'],
	hostile: ['2.41.1'],
	load: ['2.41.1', 'queue servers'],
	'n8n-1': ['1.123.81'],
	'n8n-2': ['2.41.1'],
	queue: ['2.41.1', 'queue servers'],
	'scale-out': ['2.41.1', '1.123.81', 'queue servers'],
	'schema-preview': ['2.41.1', '1.123.81'],
	troubleshooting: ['2.41.1', '1.123.81'],
};

/**
 * The needs of the end-to-end files matching any of `patterns` (regular expressions over file
 * paths, as on Jest's command line; none means every file).
 */
export function needsOf(patterns: readonly string[]): Set<Need> {
	const files = readdirSync(__dirname)
		.filter((file) => file.endsWith('.e2e.test.ts'))
		.map((file) => join(__dirname, file));
	const selected =
		patterns.length === 0
			? files
			: files.filter((file) => patterns.some((pattern) => new RegExp(pattern, 'i').test(file)));
	return new Set(
		selected.flatMap((file) => {
			const name = file.slice(__dirname.length + 1, -'.e2e.test.ts'.length);
			const needs = NEEDS[name];
			if (needs === undefined)
				throw new Error(`Say in NEEDS (test/e2e/installs.ts) what ${name}.e2e.test.ts starts`);
			return needs;
		}),
	);
}

/**
 * Installs every need side by side: each install has its own cache folder and lock (only n8n
 * 2.x uses the Node 24 install), and they mostly wait on the registry. Every one runs to its end
 * before a failure is reported, so none is left writing into the cache.
 */
export async function installNeeds(needs: Set<Need>, log: Log): Promise<void> {
	const started = Date.now();
	// Their lines interleave, so each line that does not name its install (npm's output, the
	// Node 24 install, a lock wait) is prefixed with it.
	const timed = async (what: string, install: (log: Log) => Promise<unknown>): Promise<void> => {
		const start = Date.now();
		await install((line) => log(line.startsWith(what) ? line : `${what}: ${line.trimStart()}`));
		log(`${what} ready in ${seconds(start)}`);
	};
	const installs = N8N_VERSIONS.filter((version) => needs.has(version)).map((version) =>
		timed(`n8n ${version}`, (log) => ensureN8n(version, log)),
	);
	if (needs.has('queue servers')) {
		// PostgreSQL 17 from npm, Redis and nginx from Debian (apt-get, as root) when missing.
		installs.push(
			timed('queue servers', async (log) => {
				await ensurePostgresInstall(log);
				log(`Redis: ${await ensureRedisServer(log)}`);
				log(`nginx: ${await ensureNginx(log)}`);
			}),
		);
	}
	const failed = (await Promise.allSettled(installs)).find(
		(result) => result.status === 'rejected',
	);
	if (failed !== undefined) throw failed.reason;
	if (installs.length > 1) log(`all installs ready in ${seconds(started)}`);
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

if (require.main === module) {
	installNeeds(needsOf([]), (line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
}
