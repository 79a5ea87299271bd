/**
 * The RevOps sender: delivers one event the way RevOps does (docs/revops-webhooks.md §1–3), so tests,
 * `npm start` and load/fault tests drive n8n through the same behaviour the real service has.
 *
 * node:http rather than fetch: the request body must be the exact bytes that were signed, and
 * the timeout must cover the whole attempt (connect, headers and body), which is what RevOps
 * counts; both are direct with node:http and need no polyfill or dispatcher tuning.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { SIGNATURE_HEADER, signBody } from './sign';

/** RevOps counts a delivery only when a 200 answer's body contains this text. */
export const ACK_TEXT = 'RevOps API Event Received';
export const USER_AGENT = 'RevOps-Webhooks/1.0 (n8n-nodes-revops sender)';

/** docs/revops-webhooks.md §1: a failed delivery is retried 5 times, 1 hour apart; each request times out after 30 s. */
export const DEFAULT_RETRIES = 5;
export const DEFAULT_RETRY_INTERVAL_MS = 3_600_000;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Bounds, so a typo or a misbehaving endpoint cannot make the tool run or buffer without end. */
export const MAX_RETRIES = 100;
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;

export interface DeliveryOptions {
	url: string;
	/** The webhook's Verification Key; without it the request carries no signature header. */
	key?: string;
	method?: 'POST' | 'GET';
	retries?: number;
	retryIntervalMs?: number;
	timeoutMs?: number;
	/** Extra or overriding headers (matched case-insensitively), e.g. a wrong signature. */
	headers?: Record<string, string>;
	/** Stops waiting between retries, and ends an attempt in flight (recorded as 'aborted'). */
	signal?: AbortSignal;
	onAttempt?: (attempt: AttemptResult) => void;
}

export interface AttemptResult {
	/** 1 for the first attempt, 2 for the first retry, … */
	attempt: number;
	/** The HTTP status, or null when there was no complete answer (timeout, connection error). */
	status: number | null;
	/** The response body as UTF-8, cut at MAX_RESPONSE_BODY_BYTES. */
	body: string;
	error: string | null;
	delivered: boolean;
	durationMs: number;
}

export interface DeliveryReport {
	delivered: boolean;
	attempts: AttemptResult[];
}

/** docs/revops-webhooks.md §1: exactly HTTP 200, and the body contains the acknowledgement text anywhere. */
export function isDelivered(status: number | null, body: string): boolean {
	return status === 200 && body.includes(ACK_TEXT);
}

interface PreparedRequest {
	url: URL;
	method: 'POST' | 'GET';
	headers: Record<string, string>;
	payload: Buffer | null;
}

/**
 * GET: how RevOps carries an event on GET is undocumented (docs/revops-webhooks.md §2). Project decision:
 * no body; the envelope's exact JSON text goes in the `payload` query parameter, appended to
 * the URL with `?` or `&` so any query the URL already has is left as it is; the signature,
 * with a key, is the HMAC of that same JSON (the decoded `payload` value, as UTF-8), so a
 * receiver can verify what it reads out of the query. Any fragment is dropped: it is never
 * sent.
 */
function urlWithPayload(url: string, json: string): string {
	const withoutFragment = url.split('#')[0];
	const separator = !withoutFragment.includes('?')
		? '?'
		: withoutFragment.endsWith('?') || withoutFragment.endsWith('&')
			? ''
			: '&';
	return `${withoutFragment}${separator}payload=${encodeURIComponent(json)}`;
}

/** Later headers replace earlier ones of the same name in any case, as HTTP names are case-insensitive. */
function mergeHeaders(
	base: Record<string, string>,
	overrides: Record<string, string> = {},
): Record<string, string> {
	const merged: Record<string, string> = { ...base };
	for (const [name, value] of Object.entries(overrides)) {
		for (const existing of Object.keys(merged)) {
			if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
		}
		merged[name] = value;
	}
	return merged;
}

function prepareRequest(body: Buffer, options: DeliveryOptions): PreparedRequest {
	const method = options.method ?? 'POST';
	if (method !== 'POST' && method !== 'GET') {
		throw new TypeError(`method must be POST or GET, not ${String(method)}`);
	}
	// One fresh connection per attempt, closed afterwards: RevOps' retries are hours apart,
	// and a kept-alive socket would outlive the call (and keep test runners from exiting).
	const base: Record<string, string> = { 'User-Agent': USER_AGENT, Connection: 'close' };
	let url: URL;
	let payload: Buffer | null;
	let signed: Buffer;
	if (method === 'POST') {
		url = new URL(options.url);
		payload = body;
		signed = body;
		base['Content-Type'] = 'application/json';
		base['Content-Length'] = String(body.length);
	} else {
		const json = body.toString('utf8');
		url = new URL(urlWithPayload(options.url, json));
		payload = null;
		signed = Buffer.from(json, 'utf8');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new TypeError(`url must be http: or https:, not ${url.protocol}`);
	}
	if (options.key !== undefined) base[SIGNATURE_HEADER] = signBody(options.key, signed);
	return { url, method, headers: mergeHeaders(base, options.headers), payload };
}

/** Duck-typed, not `instanceof Error`: errors from another realm (jest's vm sandbox) fail that test. */
function describeError(error: unknown): string {
	if (typeof error === 'object' && error !== null) {
		const { message, code, name } = error as Partial<NodeJS.ErrnoException>;
		// Node reports a refused `localhost` (tried on ::1 and 127.0.0.1) as an AggregateError
		// with an empty message; its code still says what happened.
		return message || code || name || String(error);
	}
	return String(error);
}

function checkTimeout(timeoutMs: number): void {
	if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
		throw new RangeError(`timeoutMs must be a positive number, not ${timeoutMs}`);
	}
}

/** One attempt. Resolves for every network outcome; rejects only for invalid options. */
async function attemptDelivery(
	body: Buffer,
	options: DeliveryOptions,
	attempt: number,
): Promise<AttemptResult> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	checkTimeout(timeoutMs);
	const prepared = prepareRequest(body, options);
	const started = performance.now();
	const result = (status: number | null, responseBody: string, error: string | null) => ({
		attempt,
		status,
		body: responseBody,
		error,
		delivered: error === null && isDelivered(status, responseBody),
		durationMs: Math.round(performance.now() - started),
	});
	if (options.signal?.aborted) return result(null, '', 'aborted');

	return new Promise<AttemptResult>((resolvePromise) => {
		const transport = prepared.url.protocol === 'https:' ? https : http;
		const request = transport.request(prepared.url, {
			method: prepared.method,
			headers: prepared.headers,
			agent: false,
		});
		let settled = false;
		const finish = (status: number | null, responseBody: string, error: string | null) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			resolvePromise(result(status, responseBody, error));
			// After settling, so whatever the socket reports while closing is ignored.
			request.destroy();
		};
		// The timeout spans the whole attempt, as RevOps' 30 s does; a slow body is a timeout
		// too, and a timeout is "no answer", hence status null.
		const timer = setTimeout(() => finish(null, '', `timeout after ${timeoutMs} ms`), timeoutMs);
		const onAbort = () => finish(null, '', 'aborted');
		options.signal?.addEventListener('abort', onAbort, { once: true });

		request.on('error', (error) => finish(null, '', describeError(error)));
		request.on('response', (response) => {
			const chunks: Buffer[] = [];
			let received = 0;
			const text = () => Buffer.concat(chunks).toString('utf8');
			response.on('data', (chunk: Buffer) => {
				const room = MAX_RESPONSE_BODY_BYTES - received;
				chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
				received += Math.min(chunk.length, room);
				if (received >= MAX_RESPONSE_BODY_BYTES) finish(response.statusCode ?? null, text(), null);
			});
			response.on('end', () => finish(response.statusCode ?? null, text(), null));
			response.on('error', (error) =>
				finish(response.statusCode ?? null, text(), `response cut off: ${describeError(error)}`),
			);
			// Closed without 'end' or 'error': the server hung up before the body was complete.
			response.on('close', () =>
				finish(
					response.statusCode ?? null,
					text(),
					response.complete ? null : 'response cut off: connection closed',
				),
			);
		});
		request.end(prepared.payload ?? undefined);
	});
}

/** One attempt, no retries. Never throws for network failures; they are in the result. */
export async function sendOnce(body: Buffer, options: DeliveryOptions): Promise<AttemptResult> {
	const result = await attemptDelivery(body, options, 1);
	options.onAttempt?.(result);
	return result;
}

/**
 * The first attempt, then up to `retries` retries, each `retryIntervalMs` after the previous
 * attempt ended, stopping at the first delivered one. The same bytes every time, as RevOps
 * resends the same body. An aborted signal ends the wait (and the delivery) early.
 */
export async function deliver(body: Buffer, options: DeliveryOptions): Promise<DeliveryReport> {
	const retries = options.retries ?? DEFAULT_RETRIES;
	const retryIntervalMs = options.retryIntervalMs ?? DEFAULT_RETRY_INTERVAL_MS;
	if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
		throw new RangeError(`retries must be an integer from 0 to ${MAX_RETRIES}, not ${retries}`);
	}
	if (!Number.isFinite(retryIntervalMs) || retryIntervalMs < 0) {
		throw new RangeError(`retryIntervalMs must be a number >= 0, not ${retryIntervalMs}`);
	}
	checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

	const attempts: AttemptResult[] = [];
	for (let attempt = 1; attempt <= 1 + retries; attempt++) {
		if (attempt > 1) {
			try {
				await sleep(retryIntervalMs, undefined, { signal: options.signal });
			} catch {
				break; // aborted while waiting
			}
		}
		if (options.signal?.aborted) break;
		const result = await attemptDelivery(body, options, attempt);
		attempts.push(result);
		options.onAttempt?.(result);
		if (result.delivered) break;
	}
	return { delivered: attempts.some((attempt) => attempt.delivered), attempts };
}
