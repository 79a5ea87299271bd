/**
 * A plain HTTP server on 127.0.0.1 (port chosen by the OS) that records every request as it
 * arrived (raw headers, raw body, arrival time) and answers as the test says: with a status
 * and body, late, not at all ('hang'), or with the head and part of the body and then a stall
 * ('stall') or a hang-up ('cut'). The sender tests use it as it is; a stub service served
 * directly answers through it (StubService.serve in services/service.ts).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';

export const ACK = ACKNOWLEDGEMENT_TEXT;

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

/** An answer with a status; text/plain unless `headers` say otherwise (names in lower case). */
export interface StatusAnswer {
	status: number;
	body: string;
	headers?: Record<string, string>;
	/** Answer only after this long. */
	delayMs?: number;
}

/**
 * What to do with the request at `index` (0-based): answer it, never answer it, or answer
 * the head and part of the body and then stall ('stall') or hang up ('cut').
 */
export type Answer = StatusAnswer | { hang: true } | { stall: string } | { cut: string };
export type Responder = (index: number, request: RecordedRequest) => Answer;

export const acknowledge: Responder = () => ({ status: 200, body: ACK });

export interface RecordingServer {
	/** http://127.0.0.1:<port> */
	origin: string;
	port: number;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

function send(response: ServerResponse, answer: Answer): void {
	if ('hang' in answer) return;
	if ('stall' in answer || 'cut' in answer) {
		response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
		if ('stall' in answer) response.write(answer.stall);
		else response.write(answer.cut, () => response.socket?.destroy());
		return;
	}
	response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
	response.end(answer.body);
}

/** A responder that throws is answered 500 with its error, so a broken stub fails the test, not Jest. */
function answerTo(respond: Responder, index: number, request: RecordedRequest): Answer {
	try {
		return respond(index, request);
	} catch (error) {
		return { status: 500, body: `The stub failed: ${String(error)}` };
	}
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
			const answer = answerTo(respond, requests.push(recorded) - 1, recorded);
			const delayMs = 'status' in answer ? answer.delayMs : undefined;
			if (delayMs === undefined) send(response, answer);
			else setTimeout(() => send(response, answer), delayMs);
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
				// Hung, stalled and late requests keep their sockets; close them so Jest can exit.
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
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
