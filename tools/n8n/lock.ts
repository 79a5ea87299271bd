import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Longest a process waits for another one's install before giving up. */
const LOCK_WAIT_MS = 30 * 60 * 1000;
const LOCK_POLL_MS = 1000;

/**
 * Runs `work` while holding a lock on `dir`, so parallel test workers do not install into the
 * same cache folder at once. The lock is a sibling directory (mkdir is atomic) holding the
 * owner's pid; a lock whose owner is gone is taken over.
 */
export async function withInstallLock<T>(
	dir: string,
	log: (line: string) => void,
	work: () => Promise<T>,
): Promise<T> {
	const lockDir = `${dir}.lock`;
	mkdirSync(path.dirname(lockDir), { recursive: true });
	const deadline = Date.now() + LOCK_WAIT_MS;
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const owner = readOwner(lockDir);
		if (owner !== undefined && !isAlive(owner)) {
			rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (Date.now() > deadline)
			throw new Error(
				`Gave up waiting for the install lock ${lockDir} (held by pid ${String(owner)})`,
			);
		if (!announced) {
			log(`waiting for pid ${String(owner)} to finish installing into ${dir}`);
			announced = true;
		}
		await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
	}
	try {
		return await work();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

/** The pid file is written just after mkdir: a missing one means "just taken", not "stale". */
function readOwner(lockDir: string): number | undefined {
	try {
		return Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
	} catch {
		return undefined;
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
