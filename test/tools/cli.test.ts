/**
 * The CLI end to end: `node --import tsx tools/revops/cli.ts …` (what `npm run revops` runs,
 * without the npx and tsx launcher processes: a second less per run) in a child process against
 * a real server in this process. execFile (async), never execFileSync: a blocked event loop
 * here would keep the server from answering the child.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { signBody } from '../../tools/revops/sign';
import { fixtureBytes, SIGNATURE_VECTORS } from '../support/fixtures';
import { ACK, useRecordingServers } from '../support/recording-server';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '../..');
/** Distinctive, so "the output does not contain it" means something (unlike a one-letter key). */
const SECRET_KEY = 'vk-3f1c9e-do-not-print';

interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

function runCli(args: string[]): Promise<CliRun> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			['--import', 'tsx', 'tools/revops/cli.ts', ...args],
			{ cwd: ROOT, timeout: 50_000, env: { ...process.env, NO_COLOR: '1' } },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}

/** Attempt durations vary; everything else in the output is exact. */
const normaliseDurations = (text: string) => text.replace(/, \d+ ms: /g, ', N ms: ');

const serve = useRecordingServers();

const USAGE_HINT = 'run "npm run revops -- --help" for usage\n';

describe('revops send', () => {
	it('delivers a signed sample and exits 0', async () => {
		const server = await serve();
		const url = `${server.origin}/x`;
		const run = await runCli(['send', 'deal-signed', '--url', url, '--key', 'k']);

		expect(run.code).toBe(0);
		expect(run.stderr).toBe('');
		expect(normaliseDurations(run.stdout)).toBe(
			[
				`POST deal-signed, ${fixtureBytes('deal-signed').length} bytes, signed with --key ****, to ${url}, retries 5 every 1h, timeout 30s`,
				`attempt 1: status 200, delivered, N ms: "${ACK}"`,
				'delivered after 1 attempt',
				'',
			].join('\n'),
		);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].url).toBe('/x');
		expect(server.requests[0].body.equals(fixtureBytes('deal-signed'))).toBe(true);
		expect(server.requests[0].headers['x-revops-content-hmac']).toBe(
			signBody('k', fixtureBytes('deal-signed')),
		);
	});

	it('retries, reports every attempt, exits 1 when not delivered, and never prints the key', async () => {
		const server = await serve(() => ({ status: 500, body: 'boom\nline two' }));
		const url = `${server.origin}/x`;
		const run = await runCli([
			'send',
			'account-created',
			'--url',
			url,
			'--key',
			SECRET_KEY,
			'--retries',
			'2',
			'--interval',
			'20ms',
		]);

		expect(run.code).toBe(1);
		expect(run.stderr).toBe('');
		expect(normaliseDurations(run.stdout)).toBe(
			[
				`POST account-created, ${fixtureBytes('account-created').length} bytes, signed with --key ****, to ${url}, retries 2 every 20ms, timeout 30s`,
				'attempt 1: status 500, failed, N ms: "boom\\nline two"',
				'next attempt in 20ms',
				'attempt 2: status 500, failed, N ms: "boom\\nline two"',
				'next attempt in 20ms',
				'attempt 3: status 500, failed, N ms: "boom\\nline two"',
				'NOT delivered after 3 attempts',
				'',
			].join('\n'),
		);
		expect(run.stdout + run.stderr).not.toContain(SECRET_KEY);
		expect(server.requests).toHaveLength(3);
		expect(server.requests.map((request) => request.headers['x-revops-content-hmac'])).toEqual(
			Array(3).fill(signBody(SECRET_KEY, fixtureBytes('account-created'))),
		);
	});

	it('shows the first 200 characters of an answer, and a timeout as an error', async () => {
		const long = 'a'.repeat(300);
		const server = await serve((index) =>
			index === 0 ? { hang: true } : { status: 200, body: long },
		);
		const url = `${server.origin}/x`;
		const run = await runCli([
			'send',
			'deal-created',
			'--url',
			url,
			'--retries',
			'1',
			'--interval',
			'0',
			'--timeout',
			'200ms',
		]);

		expect(run.code).toBe(1);
		expect(normaliseDurations(run.stdout)).toBe(
			[
				`POST deal-created, ${fixtureBytes('deal-created').length} bytes, unsigned, to ${url}, retries 1 every 0ms, timeout 200ms`,
				'attempt 1: no answer, failed, N ms: error: timeout after 200 ms',
				'next attempt in 0ms',
				`attempt 2: status 200, failed, N ms: "${'a'.repeat(200)}"`,
				'NOT delivered after 2 attempts',
				'',
			].join('\n'),
		);
		expect(server.requests[0].headers['x-revops-content-hmac']).toBeUndefined();
	});

	it('--fresh sends a new event id each time; without it the bytes are the fixture', async () => {
		const server = await serve();
		const url = `${server.origin}/x`;
		const runs = [
			await runCli(['send', 'deal-signed', '--url', url, '--fresh', '--retries', '0']),
			await runCli(['send', 'deal-signed', '--url', url, '--fresh', '--retries', '0']),
			await runCli(['send', 'deal-signed', '--url', url, '--retries', '0']),
		];
		expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
		const ids = server.requests.map(
			(request) => JSON.parse(request.body.toString('utf8')).event.id,
		);
		expect(ids[0]).not.toBe(ids[1]);
		expect(ids.slice(0, 2)).not.toContain('6a2b102e-9d80-4863-b3e5-ba867a5ceafd');
		expect(ids[2]).toBe('6a2b102e-9d80-4863-b3e5-ba867a5ceafd');
		expect(server.requests[2].body.equals(fixtureBytes('deal-signed'))).toBe(true);
		expect(runs[0].stdout.split('\n')[0]).toBe(
			`POST deal-signed (fresh event id), ${fixtureBytes('deal-signed').length} bytes, unsigned, to ${url}, retries 0 every 1h, timeout 30s`,
		);
	});

	it('sends GET with the payload query parameter', async () => {
		const server = await serve();
		const run = await runCli([
			'send',
			'deal-signed-jpy-body-wrapped',
			'--url',
			`${server.origin}/x`,
			'--method',
			'GET',
			'--key',
			'revops-test-verification-key',
		]);
		expect(run.code).toBe(0);
		const [request] = server.requests;
		expect(request.method).toBe('GET');
		expect(new URL(request.url, server.origin).searchParams.get('payload')).toBe(
			fixtureBytes('deal-signed-jpy-body-wrapped').toString('utf8'),
		);
		expect(request.headers['x-revops-content-hmac']).toBe(
			SIGNATURE_VECTORS['deal-signed-jpy-body-wrapped.json'],
		);
	});

	it.each([
		[[], 'no command given'],
		[['frobnicate'], 'unknown command "frobnicate"'],
		[['send', 'deal-signed', '--key', SECRET_KEY], 'send needs --url <url>'],
		[
			['send', 'deal-signed', '--url', 'URL', '--key', SECRET_KEY, '--retries', 'many'],
			'--retries must be a whole number from 0 to 100',
		],
		[
			['send', 'deal-exploded', '--url', 'URL', '--key', SECRET_KEY],
			'no sample or file named "deal-exploded" (samples: deal-created, deal-updated, deal-signed, deal-active, account-created, account-updated, account-deleted, deal-signed-jpy-body-wrapped, deal-created-unset-fields, deal-created-string-event)',
		],
	])('exits 2 on a usage error %j, sends nothing, never prints the key', async (args, message) => {
		const server = await serve();
		const run = await runCli(args.map((arg) => (arg === 'URL' ? `${server.origin}/x` : arg)));
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toBe(`revops: ${message}\n${USAGE_HINT}`);
		expect(run.stdout + run.stderr).not.toContain(SECRET_KEY);
		expect(server.requests).toHaveLength(0);
	});
});

describe('revops list, sign, --help', () => {
	it('list prints each sample with its event type', async () => {
		const run = await runCli(['list']);
		expect(run.code).toBe(0);
		expect(run.stdout).toBe(
			[
				'deal-created                  deal-created',
				'deal-updated                  deal-updated',
				'deal-signed                   deal-signed',
				'deal-active                   deal-active',
				'account-created               account-created',
				'account-updated               account-updated',
				'account-deleted               account-deleted',
				'deal-signed-jpy-body-wrapped  deal-signed (no event.type; inferred from the status)',
				'deal-created-unset-fields     deal-created',
				'deal-created-string-event     deal-created',
				'',
			].join('\n'),
		);
	});

	it('sign prints the contract signature, and not the key', async () => {
		const run = await runCli([
			'sign',
			'test/fixtures/deal-signed.json',
			'--key',
			'revops-test-verification-key',
		]);
		expect(run.code).toBe(0);
		expect(run.stdout).toBe(`${SIGNATURE_VECTORS['deal-signed.json']}\n`);
		expect(run.stderr).toBe('');
	});

	it('--help prints the usage and exits 0', async () => {
		const run = await runCli(['--help']);
		expect(run.code).toBe(0);
		expect(run.stdout.split('\n')[0]).toBe(
			'RevOps sender: delivers RevOps webhook events the way RevOps does.',
		);
		expect(run.stdout).toContain(
			'npm run revops -- send <event type | sample name | file> --url <url> [options]',
		);
		expect(run.stdout).toContain(
			'Exit code: 0 delivered, 1 not delivered, 2 usage or input error.',
		);
	});
});
