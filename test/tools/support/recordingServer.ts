/**
 * A real HTTP server on 127.0.0.1 (port chosen by the OS) that records every request with
 * its raw body and answers as the test says, including not at all ('hang').
 */
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export const ACK = 'RevOps API Event Received';

export interface RecordedRequest {
	method: string;
	/** Path and query, as sent. */
	url: string;
	headers: IncomingHttpHeaders;
	/** Header names and values in the order received, to count repeated headers. */
	rawHeaders: string[];
	body: Buffer;
	/** performance.now() when the request started arriving. */
	receivedAt: number;
}

/**
 * What to do with the request at `index` (0-based): answer it, never answer it, or answer
 * the head and part of the body and then stall ('stall') or hang up ('cut').
 */
export type Answer =
	| { status: number; body: string }
	| { hang: true }
	| { stall: string }
	| { cut: string };
export type Responder = (index: number, request: RecordedRequest) => Answer;

export const acknowledge: Responder = () => ({ status: 200, body: ACK });

export interface RecordingServer {
	/** http://127.0.0.1:<port> */
	origin: string;
	port: number;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

export async function startRecordingServer(
	respond: Responder = acknowledge,
): Promise<RecordingServer> {
	const requests: RecordedRequest[] = [];
	const server = createServer((request, response) => {
		const receivedAt = performance.now();
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const recorded: RecordedRequest = {
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				rawHeaders: request.rawHeaders,
				body: Buffer.concat(chunks),
				receivedAt,
			};
			const index = requests.push(recorded) - 1;
			const answer = respond(index, recorded);
			if ('hang' in answer) return;
			if ('stall' in answer || 'cut' in answer) {
				response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
				if ('stall' in answer) {
					response.write(answer.stall);
				} else {
					response.write(answer.cut, () => response.socket?.destroy());
				}
				return;
			}
			response.writeHead(answer.status, { 'Content-Type': 'text/plain' });
			response.end(answer.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve, reject) => {
				// Hung and stalled requests keep their sockets; close them so jest can exit.
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}

/** A port on 127.0.0.1 that was just free and has nothing listening (connection refused). */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/**
 * For a test file: a `serve` function whose servers are all closed after each test, whatever
 * the test did.
 */
export function useRecordingServers(): (respond?: Responder) => Promise<RecordingServer> {
	const servers: RecordingServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map((server) => server.close()));
	});
	return async (respond?: Responder) => {
		const server = await startRecordingServer(respond);
		servers.push(server);
		return server;
	};
}
