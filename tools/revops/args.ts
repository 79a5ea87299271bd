/**
 * The command line of the RevOps sender, parsed into a command. Kept apart from cli.ts so
 * it can be tested without spawning a process.
 */
import { parseArgs } from 'node:util';

import {
	DEFAULT_RETRIES,
	DEFAULT_RETRY_INTERVAL_MS,
	DEFAULT_TIMEOUT_MS,
	MAX_RETRIES,
} from './sender';

export const USAGE = `RevOps sender: delivers RevOps webhook events the way RevOps does.

usage:
  npm run revops -- send <event type | sample name | file> --url <url> [options]
  npm run revops -- list
  npm run revops -- sign <event type | sample name | file> --key <key>
  npm run revops -- --help

send options:
  --url <url>            where to deliver (required)
  --key <key>            Verification Key; signs the body (X-RevOps-Content-Hmac)
  --method GET|POST      default POST; GET sends the envelope in the "payload" query parameter
  --retries <n>          retries after a failed first attempt, 0..${MAX_RETRIES} (default ${DEFAULT_RETRIES})
  --interval <duration>  time between attempts: 500, 500ms, 20s, 5m, 1h (default 1h)
  --timeout <duration>   per attempt, connect to end of answer (default 30s)
  --fresh                give the event a new event.id, so repeated sends are distinct events
  --header 'Name: value' add or override a request header (repeatable)

Exit code: 0 delivered, 1 not delivered, 2 usage or input error.`;

/** A mistake in the command line or its inputs: exit code 2. */
export class UsageError extends Error {}

export interface SendCommand {
	command: 'send';
	sample: string;
	url: string;
	key?: string;
	method: 'POST' | 'GET';
	retries: number;
	retryIntervalMs: number;
	timeoutMs: number;
	fresh: boolean;
	headers: Record<string, string>;
}

export type Command =
	| SendCommand
	| { command: 'list' }
	| { command: 'sign'; sample: string; key: string }
	| { command: 'help' };

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `500` and `500ms` are milliseconds; `20s`, `5m`, `1h` (decimals allowed) are converted. */
export function parseDuration(text: string, optionName: string): number {
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
	if (!match) throw new UsageError(`${optionName} must be a duration like 500, 20s, 5m or 1h`);
	return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 'ms']);
}

/** The shortest exact way to write a duration: 3600000 -> "1h", 20 -> "20ms". */
export function formatDuration(ms: number): string {
	for (const unit of ['h', 'm', 's'] as const) {
		const size = DURATION_UNITS_MS[unit];
		if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
	}
	return `${ms}ms`;
}

function parseRetries(text: string): number {
	if (!/^\d+$/.test(text) || Number(text) > MAX_RETRIES) {
		throw new UsageError(`--retries must be a whole number from 0 to ${MAX_RETRIES}`);
	}
	return Number(text);
}

function parseMethod(text: string): 'POST' | 'GET' {
	const method = text.toUpperCase();
	if (method !== 'POST' && method !== 'GET') throw new UsageError('--method must be GET or POST');
	return method;
}

function parseUrl(text: string | undefined): string {
	if (text === undefined) throw new UsageError('send needs --url <url>');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new UsageError(`--url is not a URL: ${text}`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new UsageError('--url must start with http:// or https://');
	}
	return text;
}

function parseHeaders(lines: string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		const name = line.slice(0, colon).trim();
		if (colon < 1 || name === '') throw new UsageError("--header must look like 'Name: value'");
		headers[name] = line.slice(colon + 1).trim();
	}
	return headers;
}

/** One positional after the command; its value is echoed only when it is a sample or file name. */
function onePositional(positionals: string[], command: string): string {
	if (positionals.length === 0) {
		throw new UsageError(`${command} needs an event type, a sample name or a file`);
	}
	if (positionals.length > 1) {
		// The extra words are not echoed: a mistyped option could make the key one of them.
		throw new UsageError(
			`${command} takes one event type, sample name or file, got ${positionals.length}`,
		);
	}
	return positionals[0];
}

export function parseCommandLine(argv: string[]): Command {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				url: { type: 'string' },
				key: { type: 'string' },
				method: { type: 'string' },
				retries: { type: 'string' },
				interval: { type: 'string' },
				timeout: { type: 'string' },
				fresh: { type: 'boolean' },
				header: { type: 'string', multiple: true },
				help: { type: 'boolean', short: 'h' },
			},
		});
	} catch (error) {
		// parseArgs names options, never their values, so this cannot echo a key.
		throw new UsageError((error as Error).message);
	}
	const { values, positionals } = parsed;
	const [command, ...rest] = positionals;
	if (values.help || command === 'help') return { command: 'help' };
	switch (command) {
		case 'list':
			if (rest.length > 0) throw new UsageError('list takes no arguments');
			return { command: 'list' };
		case 'sign': {
			const sample = onePositional(rest, 'sign');
			if (values.key === undefined) throw new UsageError('sign needs --key <key>');
			return { command: 'sign', sample, key: values.key };
		}
		case 'send': {
			const sample = onePositional(rest, 'send');
			const timeoutMs =
				values.timeout === undefined
					? DEFAULT_TIMEOUT_MS
					: parseDuration(values.timeout, '--timeout');
			if (timeoutMs <= 0) throw new UsageError('--timeout must be more than 0');
			return {
				command: 'send',
				sample,
				url: parseUrl(values.url),
				key: values.key,
				method: values.method === undefined ? 'POST' : parseMethod(values.method),
				retries: values.retries === undefined ? DEFAULT_RETRIES : parseRetries(values.retries),
				retryIntervalMs:
					values.interval === undefined
						? DEFAULT_RETRY_INTERVAL_MS
						: parseDuration(values.interval, '--interval'),
				timeoutMs,
				fresh: values.fresh ?? false,
				headers: parseHeaders(values.header ?? []),
			};
		}
		case undefined:
			throw new UsageError('no command given');
		default:
			throw new UsageError(`unknown command "${command}"`);
	}
}
