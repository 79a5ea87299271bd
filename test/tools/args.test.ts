import {
	formatDuration,
	parseCommandLine,
	parseDuration,
	UsageError,
} from '../../tools/revops/args';

describe('parseDuration', () => {
	it.each([
		['500', 500],
		['500ms', 500],
		['20s', 20_000],
		['1.5s', 1_500],
		['5m', 300_000],
		['1h', 3_600_000],
		['0', 0],
	])('reads %s as %i ms', (text, ms) => {
		expect(parseDuration(text, '--interval')).toBe(ms);
	});

	it.each(['', 'x', '-1', '1d', '1 h', 's'])('refuses %p', (text) => {
		expect(() => parseDuration(text, '--interval')).toThrow(
			new UsageError('--interval must be a duration like 500, 20s, 5m or 1h'),
		);
	});
});

describe('formatDuration', () => {
	it.each([
		[3_600_000, '1h'],
		[300_000, '5m'],
		[90_000, '90s'],
		[30_000, '30s'],
		[20, '20ms'],
		[0, '0ms'],
	])('writes %i ms as %s', (ms, text) => {
		expect(formatDuration(ms)).toBe(text);
	});
});

describe('parseCommandLine', () => {
	it('fills in the contract defaults for send', () => {
		expect(
			parseCommandLine(['send', 'deal-signed', '--url', 'http://127.0.0.1:5678/webhook/x']),
		).toEqual({
			command: 'send',
			sample: 'deal-signed',
			url: 'http://127.0.0.1:5678/webhook/x',
			key: undefined,
			method: 'POST',
			retries: 5,
			retryIntervalMs: 3_600_000,
			timeoutMs: 30_000,
			fresh: false,
			headers: {},
		});
	});

	it('reads every send option', () => {
		const argv = [
			'send',
			'account-created',
			'--url=http://localhost:1/h',
			'--key',
			'k',
			'--method',
			'get',
			'--retries',
			'2',
			'--interval',
			'20ms',
			'--timeout',
			'2s',
			'--fresh',
			'--header',
			'X-RevOps-Content-Hmac: 00',
			'--header',
			'X-Trace:a:b',
		];
		expect(parseCommandLine(argv)).toEqual({
			command: 'send',
			sample: 'account-created',
			url: 'http://localhost:1/h',
			key: 'k',
			method: 'GET',
			retries: 2,
			retryIntervalMs: 20,
			timeoutMs: 2_000,
			fresh: true,
			headers: { 'X-RevOps-Content-Hmac': '00', 'X-Trace': 'a:b' },
		});
	});

	it.each([
		[['list'], { command: 'list' }],
		[['sign', 'deal-signed', '--key', 'k'], { command: 'sign', sample: 'deal-signed', key: 'k' }],
		[['--help'], { command: 'help' }],
		[['-h'], { command: 'help' }],
		[['help'], { command: 'help' }],
		[['send', '--help'], { command: 'help' }],
	])('reads %j', (argv, command) => {
		expect(parseCommandLine(argv)).toEqual(command);
	});

	it.each([
		[[], 'no command given'],
		[['frobnicate'], 'unknown command "frobnicate"'],
		[['list', 'extra'], 'list takes no arguments'],
		[['send', '--url', 'http://127.0.0.1:1/'], 'send needs an event type, a sample name or a file'],
		[
			['send', 'a', 'b', '--url', 'http://127.0.0.1:1/'],
			'send takes one event type, sample name or file, got 2',
		],
		[['send', 'deal-signed'], 'send needs --url <url>'],
		[['send', 'deal-signed', '--url', 'nope'], '--url is not a URL: nope'],
		[
			['send', 'deal-signed', '--url', 'ftp://127.0.0.1/'],
			'--url must start with http:// or https://',
		],
		[
			['send', 'deal-signed', '--url', 'http://127.0.0.1:1/', '--method', 'PUT'],
			'--method must be GET or POST',
		],
		[
			['send', 'deal-signed', '--url', 'http://127.0.0.1:1/', '--retries=-1'],
			'--retries must be a whole number from 0 to 100',
		],
		[
			['send', 'deal-signed', '--url', 'http://127.0.0.1:1/', '--retries', '101'],
			'--retries must be a whole number from 0 to 100',
		],
		[
			['send', 'deal-signed', '--url', 'http://127.0.0.1:1/', '--retries', '1.5'],
			'--retries must be a whole number from 0 to 100',
		],
		[
			['send', 'deal-signed', '--url', 'http://127.0.0.1:1/', '--timeout', '0'],
			'--timeout must be more than 0',
		],
		[
			['send', 'deal-signed', '--url', 'http://127.0.0.1:1/', '--header', 'nocolon'],
			"--header must look like 'Name: value'",
		],
		[['sign', 'deal-signed'], 'sign needs --key <key>'],
	])('refuses %j: %s', (argv, message) => {
		expect(() => parseCommandLine(argv)).toThrow(new UsageError(message));
	});

	it('names an unknown option without echoing its value', () => {
		let message = '';
		try {
			parseCommandLine(['send', 'deal-signed', '--kye=s3cret-value']);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message.startsWith("Unknown option '--kye'")).toBe(true);
		expect(message.includes('s3cret-value')).toBe(false);
	});
});
