/**
 * The third-party services the example workflows call, answered on 127.0.0.1 under their real
 * hostnames. n8n is started with HTTPS_PROXY pointing at an intercepting proxy (mockttp) whose
 * certificate authority it trusts through NODE_EXTRA_CA_CERTS, so n8n's own app nodes (Stripe,
 * HubSpot, Slack, Asana) call api.stripe.com and friends exactly as in production, and the
 * proxy hands each request to the stub registered for that host. A host with no stub is
 * refused and remembered, so a test can assert that nothing tried to leave the machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateCACertificate, getLocal, type CompletedRequest } from 'mockttp';

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
}

/** Decides what the service does with one request; `received` already holds it. */
export type ServiceHandler = (request: StubRequest) => StubAnswer;

/**
 * One stand-in service: records every request and answers it with the handler, except that
 * answers queued with `failNext` are used first (a 500, a 429, a slow answer), as a real
 * service fails now and then. A queued answer with a status changes no state; one without
 * a status is the usual answer, sent late.
 */
export class StubService {
	readonly received: StubRequest[] = [];
	private readonly queued: StubAnswer[] = [];

	constructor(
		readonly host: string,
		private readonly handle: ServiceHandler,
	) {}

	failNext(...answers: StubAnswer[]): void {
		this.queued.push(...answers);
	}

	/** Requests other than the ones a failure answered. */
	answer(request: StubRequest): StubAnswer {
		this.received.push(request);
		const queued = this.queued.shift();
		if (queued === undefined) return this.handle(request);
		return queued.status === undefined ? { ...this.handle(request), ...queued } : queued;
	}
}

function parseBody(contentType: string, text: string): Record<string, unknown> {
	if (text === '') return {};
	if (contentType.startsWith('application/x-www-form-urlencoded'))
		return Object.fromEntries(new URLSearchParams(text));
	return JSON.parse(text) as Record<string, unknown>;
}

async function toStubRequest(request: CompletedRequest): Promise<StubRequest> {
	const url = new URL(request.url);
	const headers = Object.fromEntries(
		Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
	);
	const rawBody = (await request.body.getText()) ?? '';
	return {
		method: request.method,
		host: url.hostname,
		path: url.pathname,
		query: Object.fromEntries(url.searchParams),
		headers,
		body: parseBody(headers['content-type'] ?? '', rawBody),
		rawBody,
	};
}

export interface ServiceProxy {
	/** What n8n's environment needs to send every outside request through the proxy. */
	env: Record<string, string>;
	/** `METHOD https://host/path` of every request to a host without a stub. */
	refused: string[];
	stop(): Promise<void>;
}

/** A proxy answering each service's host from its stub and refusing every other host. */
export async function startServiceProxy(services: StubService[]): Promise<ServiceProxy> {
	const authority = await generateCACertificate({
		subject: { commonName: 'n8n-nodes-revops test proxy' },
	});
	const folder = mkdtempSync(path.join(tmpdir(), 'revops-proxy-'));
	const caFile = path.join(folder, 'ca.pem');
	writeFileSync(caFile, authority.cert);
	const proxy = getLocal({ https: { key: authority.key, cert: authority.cert } });
	await proxy.start({ startPort: 20_000, endPort: 60_000 });
	const refused: string[] = [];
	for (const service of services) {
		await proxy
			.forAnyRequest()
			.forHostname(service.host)
			.thenCallback(async (request) => {
				const answer = service.answer(await toStubRequest(request));
				if (answer.delayMs !== undefined)
					await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
				const text = typeof answer.body === 'string' ? answer.body : undefined;
				return {
					statusCode: answer.status ?? 200,
					headers: {
						'content-type': text === undefined ? 'application/json' : 'text/plain; charset=utf-8',
						...answer.headers,
					},
					body: text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)),
				};
			});
	}
	await proxy.forUnmatchedRequest().thenCallback((request) => {
		refused.push(`${request.method} ${request.url}`);
		return { statusCode: 502, body: 'No stub answers this host: the tests never leave 127.0.0.1' };
	});
	return {
		env: {
			HTTPS_PROXY: proxy.url,
			HTTP_PROXY: proxy.url,
			// n8n's own REST calls, task broker and the trigger's URL stay direct.
			NO_PROXY: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: caFile,
		},
		refused,
		stop: async () => {
			await proxy.stop();
			rmSync(folder, { recursive: true, force: true });
		},
	};
}
