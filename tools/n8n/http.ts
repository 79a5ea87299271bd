import { randomUUID } from 'node:crypto';

/** How long one harness call to n8n may take before it counts as hung. */
const REQUEST_TIMEOUT_MS = 30_000;

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly url: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${url} answered ${status}: ${body.slice(0, 2000)}`);
	}
}

interface Answer {
	status: number;
	text: string;
	headers: Headers;
}

async function send(
	method: string,
	url: string,
	headers: Record<string, string>,
	body?: unknown,
): Promise<Answer> {
	const response = await fetch(url, {
		method,
		headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
	});
	return { status: response.status, text: await response.text(), headers: response.headers };
}

function parseOrThrow(method: string, url: string, answer: Answer): unknown {
	if (answer.status < 200 || answer.status >= 300)
		throw new N8nHttpError(method, url, answer.status, answer.text);
	return answer.text === '' ? undefined : (JSON.parse(answer.text) as unknown);
}

/**
 * n8n's internal REST API (`/rest/*`), authenticated by the `n8n-auth` cookie the editor gets
 * at login. n8n 2.x binds that cookie to a `browser-id` header, so one session sends the same
 * one on every call. Answers come wrapped in `{ data }`; `call` unwraps them.
 */
export class RestSession {
	private cookie = '';

	private readonly browserId = randomUUID();

	constructor(private readonly baseUrl: string) {}

	async setupOwner(owner: { email: string; password: string }): Promise<void> {
		await this.authenticate('/rest/owner/setup', {
			email: owner.email,
			firstName: 'RevOps',
			lastName: 'Demo',
			password: owner.password,
		});
	}

	async login(owner: { email: string; password: string }): Promise<void> {
		await this.authenticate('/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}

	async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		return (await this.callUnwrapped<{ data: T }>(method, path, body)).data;
	}

	/** For the few cookie-protected routes outside `/rest` that answer plain JSON (`/types/*`). */
	async callUnwrapped<T>(method: string, path: string, body?: unknown): Promise<T> {
		const url = `${this.baseUrl}${path}`;
		return parseOrThrow(method, url, await send(method, url, this.headers(), body)) as T;
	}

	private async authenticate(path: string, body: unknown): Promise<void> {
		const url = `${this.baseUrl}${path}`;
		const answer = await send('POST', url, this.headers(), body);
		parseOrThrow('POST', url, answer);
		const authCookie = answer.headers
			.getSetCookie()
			.find((cookie) => cookie.startsWith('n8n-auth='));
		if (authCookie === undefined) throw new Error(`POST ${url} set no n8n-auth cookie`);
		this.cookie = authCookie.split(';')[0] ?? '';
	}

	private headers(): Record<string, string> {
		return { 'browser-id': this.browserId, ...(this.cookie === '' ? {} : { cookie: this.cookie }) };
	}
}

/** n8n's public API (`/api/v1/*`), authenticated by an API key. Answers are not wrapped. */
export class PublicApi {
	constructor(
		private readonly baseUrl: string,
		private readonly apiKey: string,
	) {}

	async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const url = `${this.baseUrl}/api/v1${path}`;
		return parseOrThrow(
			method,
			url,
			await send(method, url, { 'x-n8n-api-key': this.apiKey }, body),
		) as T;
	}

	/** Whether the key is accepted (a key from an earlier run may have been deleted). */
	async works(): Promise<boolean> {
		const url = `${this.baseUrl}/api/v1/workflows?limit=1`;
		return (await send('GET', url, { 'x-n8n-api-key': this.apiKey })).status === 200;
	}
}

/** Status of a plain GET, or 0 when nothing answers yet (used while n8n starts). */
export async function probeStatus(url: string): Promise<number> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await response.arrayBuffer();
		return response.status;
	} catch {
		return 0;
	}
}
