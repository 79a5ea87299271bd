/**
 * Stand-ins on 127.0.0.1 for the services the example workflows call (a product API, a HubSpot-style CRM). Each
 * records every request n8n's HTTP Request node makes and keeps just enough state to answer
 * like the real service, so a test can check what a workflow did, field by field.
 */
import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';

export interface StubRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	/** JSON bodies parsed; form bodies as a flat object of their fields (`items[0][price]` keys kept). */
	body: Record<string, unknown>;
}

interface StubAnswer {
	status: number;
	/** Sent as JSON, unless it is a string answered as plain text. */
	body: unknown;
}

type Handler = (request: StubRequest) => StubAnswer;

function parseBody(request: IncomingMessage, text: string): Record<string, unknown> {
	if (text === '') return {};
	const type = String(request.headers['content-type'] ?? '');
	if (type.startsWith('application/x-www-form-urlencoded'))
		return Object.fromEntries(new URLSearchParams(text));
	return JSON.parse(text) as Record<string, unknown>;
}

export class ApiStub {
	readonly received: StubRequest[] = [];
	/** The origin to put in a workflow in place of the real service's, e.g. http://127.0.0.1:4711. */
	origin = '';
	private server: Server | undefined;

	constructor(
		readonly name: string,
		private readonly handle: Handler,
	) {}

	async start(): Promise<this> {
		this.server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const url = new URL(request.url ?? '/', 'http://stub');
				const recorded: StubRequest = {
					method: request.method ?? '',
					path: url.pathname,
					query: Object.fromEntries(url.searchParams),
					headers: Object.fromEntries(
						Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
					),
					body: parseBody(request, Buffer.concat(chunks).toString('utf8')),
				};
				this.received.push(recorded);
				const answer = this.handle(recorded);
				const text = typeof answer.body === 'string';
				response
					.writeHead(answer.status, {
						'content-type': text ? 'text/plain; charset=utf-8' : 'application/json',
					})
					.end(text ? answer.body : JSON.stringify(answer.body));
			});
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}
}

const notFound = (request: StubRequest): StubAnswer => ({
	status: 404,
	body: { error: `no route ${request.method} ${request.path}` },
});

/** A product API whose PUT /api/v1/accounts/{id}/features replaces an account's enabled features. */
export function productStub(): ApiStub & { features: Map<string, string[]> } {
	const features = new Map<string, string[]>();
	const stub = new ApiStub('product', (request) => {
		const match = /^\/api\/v1\/accounts\/([^/]+)\/features$/.exec(request.path);
		if (request.method !== 'PUT' || match === null) return notFound(request);
		const enabled = request.body.enabled;
		if (!Array.isArray(enabled) || !enabled.every((flag) => typeof flag === 'string')) {
			return { status: 422, body: { error: '"enabled" must be an array of feature names' } };
		}
		const accountId = decodeURIComponent(match[1] ?? '');
		features.set(accountId, enabled as string[]);
		return { status: 200, body: { accountId, enabled } };
	});
	return Object.assign(stub, { features });
}

/**
 * HubSpot-style companies: batch upsert by a unique property, and PATCH by that property
 * (`?idProperty=`), which answers 404 for a company that does not exist, as HubSpot does.
 */
export function crmStub(): ApiStub & { companies: Map<string, Record<string, unknown>> } {
	const companies = new Map<string, Record<string, unknown>>();
	const stub = new ApiStub('crm', (request) => {
		if (request.method === 'POST' && request.path === '/crm/v3/objects/companies/batch/upsert') {
			const inputs = request.body.inputs as Array<{
				idProperty: string;
				id: string;
				properties: Record<string, unknown>;
			}>;
			const results = inputs.map((input) => {
				const properties = { ...companies.get(input.id), ...input.properties };
				companies.set(input.id, properties);
				return { id: input.id, properties };
			});
			return { status: 200, body: { status: 'COMPLETE', results } };
		}
		const match = /^\/crm\/v3\/objects\/companies\/([^/]+)$/.exec(request.path);
		if (
			request.method === 'PATCH' &&
			match !== null &&
			request.query.idProperty === 'revops_account_id'
		) {
			const id = decodeURIComponent(match[1] ?? '');
			const existing = companies.get(id);
			if (existing === undefined)
				return {
					status: 404,
					body: { status: 'error', message: `No company with revops_account_id ${id}` },
				};
			const properties = { ...existing, ...(request.body.properties as Record<string, unknown>) };
			companies.set(id, properties);
			return { status: 200, body: { id, properties } };
		}
		return notFound(request);
	});
	return Object.assign(stub, { companies });
}
