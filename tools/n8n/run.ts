import { spawn } from 'node:child_process';

export interface RunOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** Receives every output line of the command, for progress on long installs. */
	log?: (line: string) => void;
	/** Run as this user and group (only root may ask): PostgreSQL refuses to run as root. */
	user?: { uid: number; gid: number };
}

/** How many output lines a failure message quotes. */
const FAILURE_TAIL_LINES = 40;

/** Calls `onLine` for each complete line of a stream, and for the unterminated rest at its end. */
export function onEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
	let partial = '';
	stream.on('data', (chunk: Buffer) => {
		const parts = (partial + chunk.toString('utf8')).split('\n');
		partial = parts.pop() ?? '';
		for (const line of parts) onLine(line);
	});
	stream.on('end', () => {
		if (partial !== '') onLine(partial);
		partial = '';
	});
}

/**
 * Runs a command to completion and resolves with its stdout. Rejects with the command line,
 * exit status and the end of its combined output, so a failed install explains itself.
 */
export async function runCommand(
	command: string,
	args: string[],
	options: RunOptions,
): Promise<string> {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		...options.user,
	});
	const lines: string[] = [];
	const collect = (line: string): void => {
		lines.push(line);
		options.log?.(line);
	};
	let stdout = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString('utf8');
	});
	onEachLine(child.stdout, collect);
	onEachLine(child.stderr, collect);

	// 'close' comes after both streams ended, so every line has been collected by then.
	const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
		(resolve, reject) => {
			child.on('error', reject);
			child.on('close', (code, signal) => resolve({ code, signal }));
		},
	);
	if (exit.code !== 0) {
		const status =
			exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
		const tail = lines.slice(-FAILURE_TAIL_LINES).join('\n');
		throw new Error(
			`\`${command} ${args.join(' ')}\` in ${options.cwd} failed with ${status}:\n${tail}`,
		);
	}
	return stdout;
}
