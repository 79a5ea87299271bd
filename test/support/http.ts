/** Raw HTTP to 127.0.0.1 for the end-to-end tests, so status, headers and body are exact. */
import { request } from 'http';

export interface RawResponse {
	status: number;
	contentType: string;
	body: string;
}

export function rawRequest(
	url: string,
	options: {
		method?: string;
		headers?: Record<string, string>;
		body?: Buffer | string;
		timeoutMs?: number;
	} = {},
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const outgoing = request(
			url,
			{
				method: options.method ?? 'POST',
				headers: options.headers,
				timeout: options.timeoutMs ?? 30_000,
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						contentType: String(response.headers['content-type'] ?? ''),
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
			},
		);
		outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url} in time`)));
		outgoing.on('error', reject);
		outgoing.end(options.body);
	});
}
