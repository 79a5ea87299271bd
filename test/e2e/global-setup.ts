/**
 * Before the end-to-end files run: install what the selected files start (test/e2e/installs.ts;
 * `npm test` has usually done it already, side by side with lint and the unit tests) and pack
 * this package once, as `npm pack` would for a release.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';

import type { Config } from '@jest/types';

import { packPackage } from '../../tools/n8n/package';
import { installNeeds, needsOf } from './installs';
import { TARBALL_NOTE } from './tarball';

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
	const log = (line: string) => process.stdout.write(`  [setup] ${line}\n`);
	await installNeeds(needsOf(globalConfig.testPathPatterns.patterns), log);
	writeFileSync(TARBALL_NOTE, await packPackage(join(__dirname, '..', '..')));
}
