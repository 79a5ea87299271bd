/**
 * `npm run revops -- <command>`: the RevOps sender on the command line. See USAGE in args.ts.
 * The Verification Key is never printed; where options are echoed it shows as `****`.
 */
import { Command, formatDuration, parseCommandLine, SendCommand, USAGE, UsageError } from './args';
import { eventTypeOf, freshEvent, loadSample, sampleNames } from './samples';
import { AttemptResult, deliver } from './sender';
import { signBody } from './sign';

const EXIT_DELIVERED = 0;
const EXIT_NOT_DELIVERED = 1;
const EXIT_USAGE = 2;

/** How much of an answer's body an attempt line shows. */
const BODY_PREVIEW_CHARS = 200;

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Reads a sample or file; a missing one or bad JSON is the user's input, so a usage error. */
function readInput(nameOrPath: string, fresh = false): Buffer {
	try {
		const bytes = loadSample(nameOrPath);
		return fresh ? freshEvent(bytes) : bytes;
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}

/** One line per attempt: number, status, first 200 characters of the answer (or the error), time. */
function describeAttempt(attempt: AttemptResult): string {
	const status = attempt.status === null ? 'no answer' : `status ${attempt.status}`;
	const detail =
		attempt.error !== null
			? `error: ${attempt.error}`
			: JSON.stringify(attempt.body.slice(0, BODY_PREVIEW_CHARS));
	const outcome = attempt.delivered ? 'delivered' : 'failed';
	return `attempt ${attempt.attempt}: ${status}, ${outcome}, ${attempt.durationMs} ms: ${detail}`;
}

function describeSend(command: SendCommand, bytes: Buffer): string {
	const parts = [
		`${command.method} ${command.sample}${command.fresh ? ' (fresh event id)' : ''}`,
		`${bytes.length} bytes`,
		command.key === undefined ? 'unsigned' : 'signed with --key ****',
		`to ${command.url}`,
		`retries ${command.retries} every ${formatDuration(command.retryIntervalMs)}`,
		`timeout ${formatDuration(command.timeoutMs)}`,
	];
	return parts.join(', ');
}

async function send(command: SendCommand): Promise<number> {
	const bytes = readInput(command.sample, command.fresh);
	console.log(describeSend(command, bytes));

	// Ctrl-C during an hour-long wait ends the delivery with a report instead of a dead process.
	const stop = new AbortController();
	const onInterrupt = () => stop.abort();
	process.once('SIGINT', onInterrupt);
	try {
		const report = await deliver(bytes, {
			url: command.url,
			key: command.key,
			method: command.method,
			retries: command.retries,
			retryIntervalMs: command.retryIntervalMs,
			timeoutMs: command.timeoutMs,
			headers: command.headers,
			signal: stop.signal,
			onAttempt: (attempt) => {
				console.log(describeAttempt(attempt));
				if (!attempt.delivered && attempt.attempt <= command.retries) {
					console.log(`next attempt in ${formatDuration(command.retryIntervalMs)}`);
				}
			},
		});
		const count = report.attempts.length;
		if (report.delivered) {
			console.log(`delivered after ${plural(count, 'attempt')}`);
			return EXIT_DELIVERED;
		}
		const stopped = stop.signal.aborted ? ' (stopped)' : '';
		console.log(`NOT delivered after ${plural(count, 'attempt')}${stopped}`);
		return EXIT_NOT_DELIVERED;
	} finally {
		process.removeListener('SIGINT', onInterrupt);
	}
}

function list(): number {
	const names = sampleNames();
	const width = Math.max(...names.map((name) => name.length));
	for (const name of names) {
		const { type, inferred } = eventTypeOf(loadSample(name));
		const note = inferred ? ' (no event.type; inferred from the status)' : '';
		console.log(`${name.padEnd(width)}  ${type ?? '(unknown)'}${note}`);
	}
	return EXIT_DELIVERED;
}

async function run(command: Command): Promise<number> {
	switch (command.command) {
		case 'help':
			console.log(USAGE);
			return 0;
		case 'list':
			return list();
		case 'sign':
			console.log(signBody(command.key, readInput(command.sample)));
			return 0;
		case 'send':
			return send(command);
	}
}

async function main(argv: string[]): Promise<number> {
	try {
		return await run(parseCommandLine(argv));
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		console.error(`revops: ${error.message}\nrun "npm run revops -- --help" for usage`);
		return EXIT_USAGE;
	}
}

// exitCode rather than exit(): lets stdout drain when it is a pipe.
main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(`revops: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = EXIT_USAGE;
	},
);
