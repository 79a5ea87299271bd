import { readFileSync } from 'fs';

/** Resident memory of a process and its children's group leader, in MiB, from /proc. */
export function residentMiB(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
	if (!match) throw new Error(`no VmRSS for pid ${pid}`);
	return Math.round(Number(match[1]) / 1024);
}
