import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';

/** The /proc/<pid>/stat fields after the command name, per process of a process group. */
function groupStats(pgid: number): Array<{ pid: string; fields: string[] }> {
	const stats: Array<{ pid: string; fields: string[] }> = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// The command name is in parentheses and may hold spaces: split after it.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) stats.push({ pid: entry, fields });
		} catch {
			// the process ended while we looked
		}
	}
	return stats;
}

/**
 * Resident memory of a whole process group, in MiB, from /proc: n8n with the task runner it
 * spawned, or PostgreSQL with its backends.
 */
export function groupResidentMiB(pgid: number): number {
	let kib = 0;
	for (const { pid } of groupStats(pgid)) {
		try {
			const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			kib += match ? Number(match[1]) : 0;
		} catch {
			// the process ended while we looked: it no longer uses memory
		}
	}
	return Math.round(kib / 1024);
}

let clockTicksPerSecond: number | undefined;

/**
 * CPU time a process group's live processes have used so far (user and system), in seconds:
 * the difference between two readings is what the group used in between.
 */
export function groupCpuSeconds(pgid: number): number {
	clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
	// utime and stime are stat fields 14 and 15; the list starts at field 3.
	const ticks = groupStats(pgid).reduce(
		(sum, { fields }) => sum + Number(fields[11]) + Number(fields[12]),
		0,
	);
	return ticks / clockTicksPerSecond;
}
