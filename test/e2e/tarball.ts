import { createHash } from 'crypto';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { tmpdir } from 'os';

/**
 * Written by the global setup, which packs the package once for every end-to-end file. Named
 * after the checkout, so runs in two checkouts on one machine never test each other's package.
 */
export const TARBALL_NOTE = join(
	tmpdir(),
	`n8n-nodes-revops-e2e-tarball-${createHash('sha256').update(__dirname).digest('hex').slice(0, 12)}`,
);

export async function packedTarball(): Promise<string> {
	if (!existsSync(TARBALL_NOTE))
		throw new Error('The end-to-end global setup did not pack the package');
	return readFileSync(TARBALL_NOTE, 'utf8').trim();
}
