/**
 * The one recording HTTP stub of the end-to-end tests. A StubService stands in for one
 * service: it records every request and answers it by its rules. n8n reaches it in one of two
 * ways: under the service's real hostname through the intercepting proxy (proxy.ts), as the
 * example workflows call Stripe, HubSpot, Slack and Asana; or directly over plain HTTP on
 * 127.0.0.1 (`serve`), as the HTTP Request node of the trigger, fault and queue tests calls
 * the billing stub (billing.ts).
 */
import {
	startRecordingServer,
	type RecordedRequest,
	type RecordingServer,
	type StatusAnswer,
} from '../recording-server';

export interface StubRequest {
	method: string;
	host: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	/** JSON bodies parsed; form bodies as a flat object of their fields (`items[0][price]` keys kept). */
	body: Record<string, unknown>;
	rawBody: string;
}

export interface StubAnswer {
	/** Left out in a queued answer: the service handles the request as usual, only late. */
	status?: number;
	/** Sent as JSON, unless it is a string, sent as plain text. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Answer only after this long: longer than RevOps' 30 s timeout makes RevOps retry. */
	delayMs?: number;
	/**
	 * In a queued answer with a status: the request takes effect as usual all the same, as when a
	 * service fails after doing the work.
	 */
	applied?: true;
}

/** Decides what the service does with one request; `received` already holds it. */
export type ServiceHandler = (request: StubRequest) => StubAnswer;

function parseBody(contentType: string, text: string): Record<string, unknown> {
	if (text === '') return {};
	if (contentType.startsWith('application/x-www-form-urlencoded'))
		return Object.fromEntries(new URLSearchParams(text));
	return JSON.parse(text) as Record<string, unknown>;
}

/** A request as the stubs read it, from what either transport received. */
export function stubRequest(
	method: string,
	url: URL,
	headers: Record<string, string | string[] | undefined>,
	rawBody: string,
): StubRequest {
	const flat = Object.fromEntries(
		Object.entries(headers).map(([name, value]) => [name, String(value)]),
	);
	return {
		method,
		host: url.hostname,
		path: url.pathname,
		query: Object.fromEntries(url.searchParams),
		headers: flat,
		body: parseBody(flat['content-type'] ?? '', rawBody),
		rawBody,
	};
}

/** A stub's answer as it goes on the wire: a string body as plain text, anything else as JSON. */
export function wireAnswer(answer: StubAnswer): Required<Omit<StatusAnswer, 'delayMs'>> {
	const text = typeof answer.body === 'string' ? answer.body : undefined;
	return {
		status: answer.status ?? 200,
		headers: {
			'content-type': text === undefined ? 'application/json' : 'text/plain; charset=utf-8',
			...answer.headers,
		},
		body: text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)),
	};
}

function fromRecorded(request: RecordedRequest): StubRequest {
	const url = new URL(request.url, `http://${request.headers.host ?? '127.0.0.1'}`);
	return stubRequest(request.method, url, request.headers, request.body.toString('utf8'));
}

/**
 * One stand-in service: records every request and answers it with the handler, except that
 * answers queued with `failNext` are used first (a 500, a 429, a slow answer), as a real
 * service fails now and then. A queued answer with a status changes no state unless it is
 * `applied`; one without a status is the usual answer, sent late.
 */
export class StubService {
	/** Every request, the ones a queued failure answered included. */
	readonly received: StubRequest[] = [];
	private readonly queued: StubAnswer[] = [];
	private server: RecordingServer | undefined;

	constructor(
		readonly host: string,
		private readonly handle: ServiceHandler,
	) {}

	failNext(...answers: StubAnswer[]): void {
		this.queued.push(...answers);
	}

	/** Records the request and answers it: with the next queued answer if any, else by the rules. */
	answer(request: StubRequest): StubAnswer {
		this.received.push(request);
		const queued = this.queued.shift();
		if (queued === undefined) return this.handle(request);
		if (queued.status === undefined) return { ...this.handle(request), ...queued };
		if (queued.applied === true) this.handle(request);
		return queued;
	}

	/** Forgets the requests received and the failures queued. */
	reset(): void {
		this.received.length = 0;
		this.queued.length = 0;
	}

	/** Serves the stub directly over plain HTTP on 127.0.0.1; its origin, http://127.0.0.1:<port>. */
	async serve(): Promise<string> {
		this.server = await startRecordingServer((_index, request) => {
			const answer = this.answer(fromRecorded(request));
			return { ...wireAnswer(answer), delayMs: answer.delayMs };
		});
		return this.server.origin;
	}

	async close(): Promise<void> {
		await this.server?.close();
		this.server = undefined;
	}
}
