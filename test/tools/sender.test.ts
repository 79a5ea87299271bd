import { performance } from 'node:perf_hooks';

import { freePort } from '../../tools/n8n/ports';
import {
	AttemptResult,
	deliver,
	isDelivered,
	MAX_RESPONSE_BODY_BYTES,
	sendOnce,
	USER_AGENT,
} from '../../tools/revops/sender';
import { signBody } from '../../tools/revops/sign';
import { fixtureBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';
import { ACK, Responder, useRecordingServers } from '../support/recording-server';

const failWith500: Responder = () => ({ status: 500, body: 'Internal Server Error' });

const serve = useRecordingServers();

/** An attempt without its duration, which is the one value a test cannot know exactly. */
function withoutDuration({ durationMs: _ignored, ...rest }: AttemptResult) {
	return rest;
}

describe('isDelivered', () => {
	it.each([
		[200, ACK, true],
		[200, `{"message":"${ACK}"}`, true],
		[200, 'ok', false],
		[200, '', false],
		[200, ACK.toLowerCase(), false],
		[201, ACK, false],
		[204, ACK, false],
		[500, ACK, false],
		[null, ACK, false],
	])('status %p with body %p -> %p', (status, body, expected) => {
		expect(isDelivered(status, body)).toBe(expected);
	});
});

describe('POST', () => {
	it.each(Object.entries(SIGNATURE_VECTORS))(
		'sends the exact bytes of %s with the contract signature',
		async (name, signature) => {
			const server = await serve();
			const body = fixtureBytes(name);
			const result = await sendOnce(body, {
				url: `${server.origin}/webhook/revops`,
				key: TEST_KEY,
			});

			expect(withoutDuration(result)).toEqual({
				attempt: 1,
				status: 200,
				body: ACK,
				error: null,
				delivered: true,
			});
			expect(server.requests).toHaveLength(1);
			const [request] = server.requests;
			expect(request.method).toBe('POST');
			expect(request.url).toBe('/webhook/revops');
			expect(request.body.equals(body)).toBe(true);
			expect(request.headers['x-revops-content-hmac']).toBe(signature);
			expect(request.headers['content-type']).toBe('application/json');
			expect(request.headers['content-length']).toBe(String(body.length));
			expect(request.headers['user-agent']).toBe(USER_AGENT);
		},
	);

	it('sends no signature header without a key', async () => {
		const server = await serve();
		await sendOnce(fixtureBytes('deal-signed'), { url: `${server.origin}/h` });
		expect(server.requests[0].headers['x-revops-content-hmac']).toBeUndefined();
		expect(server.requests[0].body.equals(fixtureBytes('deal-signed'))).toBe(true);
	});

	it('lets extra headers replace the computed ones, in any case, once', async () => {
		const server = await serve();
		await sendOnce(fixtureBytes('deal-signed'), {
			url: `${server.origin}/h`,
			key: TEST_KEY,
			headers: {
				'x-revops-content-hmac': 'deadbeef',
				'content-type': 'text/plain',
				'X-Extra': 'yes',
			},
		});
		const [request] = server.requests;
		expect(request.headers['x-revops-content-hmac']).toBe('deadbeef');
		expect(request.headers['content-type']).toBe('text/plain');
		expect(request.headers['x-extra']).toBe('yes');
		const names = request.rawHeaders
			.filter((_value, index) => index % 2 === 0)
			.map((name) => name.toLowerCase());
		expect(names.filter((name) => name === 'x-revops-content-hmac')).toHaveLength(1);
		expect(names.filter((name) => name === 'content-type')).toHaveLength(1);
	});
});

describe('GET', () => {
	it('puts the exact JSON in the payload query parameter and signs that JSON', async () => {
		const server = await serve();
		const body = fixtureBytes('account-created');
		const result = await sendOnce(body, {
			url: `${server.origin}/webhook/revops`,
			key: TEST_KEY,
			method: 'GET',
		});

		expect(result.delivered).toBe(true);
		const [request] = server.requests;
		expect(request.method).toBe('GET');
		expect(request.url).toBe(
			`/webhook/revops?payload=${encodeURIComponent(body.toString('utf8'))}`,
		);
		const payload = new URL(request.url, server.origin).searchParams.get('payload');
		expect(payload).toBe(body.toString('utf8'));
		expect(request.body.length).toBe(0);
		expect(request.headers['content-length']).toBeUndefined();
		expect(request.headers['content-type']).toBeUndefined();
		// The same bytes as the file, so the same signature as a POST of it.
		expect(request.headers['x-revops-content-hmac']).toBe(
			SIGNATURE_VECTORS['account-created.json'],
		);
	});

	it('appends with & to a URL that has a query, keeps that query, and drops the fragment', async () => {
		const server = await serve();
		const body = Buffer.from('{"a":"é ?&#"}');
		await sendOnce(body, { url: `${server.origin}/h?token=1#frag`, key: 'k', method: 'GET' });
		const [request] = server.requests;
		expect(request.url).toBe('/h?token=1&payload=%7B%22a%22%3A%22%C3%A9%20%3F%26%23%22%7D');
		expect(new URL(request.url, server.origin).searchParams.get('token')).toBe('1');
		expect(request.headers['x-revops-content-hmac']).toBe(signBody('k', body));
	});
});

describe('what counts as delivered', () => {
	it.each([
		['a 200 with the acknowledgement', { status: 200, body: ACK }, true],
		[
			'a 200 with the acknowledgement inside other text',
			{ status: 200, body: `ok: ${ACK}.` },
			true,
		],
		['a 200 without the acknowledgement', { status: 200, body: 'Workflow was started' }, false],
		['a 500 with the acknowledgement', { status: 500, body: ACK }, false],
		['a 401', { status: 401, body: 'Unauthorized' }, false],
	])('%s', async (_label, answer, delivered) => {
		const server = await serve(() => answer);
		const result = await sendOnce(fixtureBytes('deal-signed'), { url: `${server.origin}/h` });
		expect(withoutDuration(result)).toEqual({
			attempt: 1,
			status: answer.status,
			body: answer.body,
			error: null,
			delivered,
		});
	});

	it('a 200 whose body is cut off is not delivered, even with the acknowledgement in it', async () => {
		const server = await serve(() => ({ cut: ACK }));
		const result = await sendOnce(fixtureBytes('deal-signed'), { url: `${server.origin}/h` });
		expect(withoutDuration(result)).toEqual({
			attempt: 1,
			status: 200,
			body: ACK,
			error: 'response cut off: aborted',
			delivered: false,
		});
	});

	it('keeps at most MAX_RESPONSE_BODY_BYTES of an answer', async () => {
		const huge = 'x'.repeat(MAX_RESPONSE_BODY_BYTES + 4096);
		const server = await serve(() => ({ status: 200, body: huge }));
		const result = await sendOnce(Buffer.from('{}'), { url: `${server.origin}/h` });
		expect(result.status).toBe(200);
		expect(result.body.length).toBe(MAX_RESPONSE_BODY_BYTES);
		expect(result.error).toBeNull();
		expect(result.delivered).toBe(false);
	});
});

describe('retries', () => {
	it('retries after the interval and stops at the first delivered attempt', async () => {
		const server = await serve((index) =>
			index < 2 ? { status: 500, body: 'busy' } : { status: 200, body: ACK },
		);
		const seen: number[] = [];
		const body = fixtureBytes('deal-signed');
		const report = await deliver(body, {
			url: `${server.origin}/h`,
			key: TEST_KEY,
			retries: 5,
			retryIntervalMs: 20,
			onAttempt: (attempt) => seen.push(attempt.attempt),
		});

		expect(report.delivered).toBe(true);
		expect(report.attempts.map(withoutDuration)).toEqual([
			{ attempt: 1, status: 500, body: 'busy', error: null, delivered: false },
			{ attempt: 2, status: 500, body: 'busy', error: null, delivered: false },
			{ attempt: 3, status: 200, body: ACK, error: null, delivered: true },
		]);
		expect(seen).toEqual([1, 2, 3]);
		expect(server.requests).toHaveLength(3);
		for (const request of server.requests) {
			expect(request.body.equals(body)).toBe(true);
			expect(request.headers['x-revops-content-hmac']).toBe(SIGNATURE_VECTORS['deal-signed.json']);
		}
		// The gap includes the 20 ms wait; 1 ms slack for libuv's millisecond timer clock.
		for (const index of [1, 2]) {
			const gap = server.requests[index].receivedAt - server.requests[index - 1].receivedAt;
			expect(gap).toBeGreaterThanOrEqual(19);
		}
	});

	it.each([0, 1, 3])('makes 1 + %i attempts at most when every attempt fails', async (retries) => {
		const server = await serve(failWith500);
		const report = await deliver(Buffer.from('{}'), {
			url: `${server.origin}/h`,
			retries,
			retryIntervalMs: 5,
		});
		expect(report.delivered).toBe(false);
		expect(report.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual(
			Array.from({ length: 1 + retries }, (_unused, index) => [index + 1, 500]),
		);
		expect(server.requests).toHaveLength(1 + retries);
	});

	it('sendOnce makes one attempt and no retries', async () => {
		const server = await serve(failWith500);
		const result = await sendOnce(Buffer.from('{}'), {
			url: `${server.origin}/h`,
			retries: 5,
			retryIntervalMs: 5,
		});
		expect(withoutDuration(result)).toEqual({
			attempt: 1,
			status: 500,
			body: 'Internal Server Error',
			error: null,
			delivered: false,
		});
		expect(server.requests).toHaveLength(1);
	});

	it('refuses out-of-range options instead of sending', async () => {
		const server = await serve();
		const url = `${server.origin}/h`;
		const body = Buffer.from('{}');
		await expect(deliver(body, { url, retries: -1 })).rejects.toThrow(
			new RangeError('retries must be an integer from 0 to 100, not -1'),
		);
		await expect(deliver(body, { url, retries: 101 })).rejects.toThrow(RangeError);
		await expect(deliver(body, { url, retryIntervalMs: -5 })).rejects.toThrow(RangeError);
		await expect(sendOnce(body, { url, timeoutMs: 0 })).rejects.toThrow(
			new RangeError('timeoutMs must be a positive number, not 0'),
		);
		await expect(sendOnce(body, { url, method: 'PUT' as 'POST' })).rejects.toThrow(
			new TypeError('method must be POST or GET, not PUT'),
		);
		await expect(sendOnce(body, { url: 'ftp://127.0.0.1/x' })).rejects.toThrow(
			new TypeError('url must be http: or https:, not ftp:'),
		);
		expect(server.requests).toHaveLength(0);
	});
});

describe('timeouts and network failures', () => {
	it('a server that never answers is a timeout, a failed attempt, and the next retry happens', async () => {
		const server = await serve((index) =>
			index === 0 ? { hang: true } : { status: 200, body: ACK },
		);
		const report = await deliver(fixtureBytes('deal-signed'), {
			url: `${server.origin}/h`,
			retries: 5,
			retryIntervalMs: 20,
			timeoutMs: 200,
		});
		expect(report.delivered).toBe(true);
		expect(report.attempts.map(withoutDuration)).toEqual([
			{ attempt: 1, status: null, body: '', error: 'timeout after 200 ms', delivered: false },
			{ attempt: 2, status: 200, body: ACK, error: null, delivered: true },
		]);
		expect(report.attempts[0].durationMs).toBeGreaterThanOrEqual(199);
		expect(report.attempts[0].durationMs).toBeLessThan(1_000);
		expect(server.requests).toHaveLength(2);
	});

	it('the timeout covers the whole answer: a body that stalls is a timeout', async () => {
		const server = await serve(() => ({ stall: ACK }));
		const result = await sendOnce(Buffer.from('{}'), { url: `${server.origin}/h`, timeoutMs: 200 });
		expect(withoutDuration(result)).toEqual({
			attempt: 1,
			status: null,
			body: '',
			error: 'timeout after 200 ms',
			delivered: false,
		});
	});

	it('a refused connection is a failed attempt, not an exception', async () => {
		// Just free, so nothing listens there: the connection is refused.
		const port = await freePort();
		const report = await deliver(Buffer.from('{}'), {
			url: `http://127.0.0.1:${port}/h`,
			retries: 1,
			retryIntervalMs: 5,
		});
		expect(report.delivered).toBe(false);
		expect(report.attempts.map(withoutDuration)).toEqual([
			{
				attempt: 1,
				status: null,
				body: '',
				error: `connect ECONNREFUSED 127.0.0.1:${port}`,
				delivered: false,
			},
			{
				attempt: 2,
				status: null,
				body: '',
				error: `connect ECONNREFUSED 127.0.0.1:${port}`,
				delivered: false,
			},
		]);
	});
});

describe('abort signal', () => {
	it('stops the wait between retries at once', async () => {
		const server = await serve(failWith500);
		const stop = new AbortController();
		const started = performance.now();
		const report = await deliver(Buffer.from('{}'), {
			url: `${server.origin}/h`,
			retries: 5,
			retryIntervalMs: 60_000,
			signal: stop.signal,
			onAttempt: () => stop.abort(),
		});
		expect(performance.now() - started).toBeLessThan(1_000);
		expect(report.delivered).toBe(false);
		expect(report.attempts.map((attempt) => attempt.attempt)).toEqual([1]);
		expect(server.requests).toHaveLength(1);
	});

	it('ends an attempt in flight as aborted', async () => {
		const server = await serve(() => ({ hang: true }));
		const stop = new AbortController();
		setTimeout(() => stop.abort(), 50);
		const report = await deliver(Buffer.from('{}'), {
			url: `${server.origin}/h`,
			retries: 5,
			retryIntervalMs: 5,
			timeoutMs: 10_000,
			signal: stop.signal,
		});
		expect(report.attempts.map(withoutDuration)).toEqual([
			{ attempt: 1, status: null, body: '', error: 'aborted', delivered: false },
		]);
		expect(report.attempts[0].durationMs).toBeLessThan(1_000);
	});

	it('sends nothing when already aborted', async () => {
		const server = await serve();
		const report = await deliver(Buffer.from('{}'), {
			url: `${server.origin}/h`,
			signal: AbortSignal.abort(),
		});
		expect(report).toEqual({ delivered: false, attempts: [] });
		expect(server.requests).toHaveLength(0);
	});
});
