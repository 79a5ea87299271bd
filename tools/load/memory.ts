import { readdirSync, readFileSync } from 'fs';

/**
 * Resident memory of a whole process group, in MiB, from /proc: n8n with the task runner it
 * spawned, or PostgreSQL with its backends.
 */
export function groupResidentMiB(pgid: number): number {
	let kib = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// Fields after the command name, which is in parentheses and may hold spaces.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) !== pgid) continue;
			const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
			kib += match ? Number(match[1]) : 0;
		} catch {
			// the process ended while we looked: it no longer uses memory
		}
	}
	return Math.round(kib / 1024);
}
