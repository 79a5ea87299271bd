/**
 * Servers the harness takes from Debian (Redis, nginx): the program from PATH, or its package
 * installed now with apt-get when it is missing and this runs as root. The harness never uses
 * the package's own service: it starts its own copy on 127.0.0.1 with a configuration written
 * per run. (Where no policy-rc.d forbids it, apt also starts that service: nginx on port 80.)
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { cacheRoot } from './install';
import { withInstallLock } from './lock';
import { runCommand } from './run';

export interface DebianProgram {
	/** What messages call it: `Redis`. */
	name: string;
	/** Debian's package that ships it: `redis-server`. */
	debianPackage: string;
	/** Where to look, in order: `redis-server`, `/usr/bin/redis-server`. */
	candidates: string[];
	/** Arguments that make it print its version and exit 0: `--version`, `-v`. */
	versionArgs: string[];
}

function findProgram(program: DebianProgram): string | undefined {
	for (const candidate of program.candidates) {
		try {
			execFileSync(candidate, program.versionArgs, { stdio: 'ignore' });
			return candidate;
		} catch {
			// not there: try the next place, or install it
		}
	}
	return undefined;
}

/** The program's path, installing its Debian package first when it is missing (root only). */
export async function ensureDebianProgram(
	program: DebianProgram,
	log: (line: string) => void,
): Promise<string> {
	const found = findProgram(program);
	if (found !== undefined) return found;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`The harness needs ${program.name}: install it (Debian: sudo apt-get install ${program.debianPackage}) or run as root to let the harness install it`,
		);
	}
	await withInstallLock(path.join(cacheRoot(), `apt-${program.debianPackage}`), log, async () => {
		if (findProgram(program) !== undefined) return;
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const apt = (line: string): void => log(`  apt-get: ${line}`);
		log(
			`${program.name}: installing ${program.debianPackage} from Debian (apt-get update, then apt-get install)`,
		);
		await runCommand('apt-get', ['update'], { cwd: '/', env, log: apt });
		await runCommand(
			'apt-get',
			['install', '-y', '--no-install-recommends', program.debianPackage],
			{ cwd: '/', env, log: apt },
		);
	});
	const installed = findProgram(program);
	if (installed === undefined)
		throw new Error(`apt-get installed ${program.debianPackage}, but ${program.name} does not run`);
	return installed;
}
