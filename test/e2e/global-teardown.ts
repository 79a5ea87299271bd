/** After the end-to-end run: remove the tarball the global setup packed, and its note. */
import { existsSync, readFileSync, rmSync } from 'fs';
import { dirname } from 'path';

import { TARBALL_NOTE } from './tarball';

export default async function globalTeardown(): Promise<void> {
	if (!existsSync(TARBALL_NOTE)) return;
	rmSync(dirname(readFileSync(TARBALL_NOTE, 'utf8').trim()), { recursive: true, force: true });
	rmSync(TARBALL_NOTE, { force: true });
}
