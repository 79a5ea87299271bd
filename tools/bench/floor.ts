/**
 * Target F, the floor: a bare node:http server doing only what any RevOps receiver must do
 * (read the body, check the HMAC, JSON.parse, answer). Nothing in n8n can be faster, so it
 * shows how much of a request's cost is n8n's. Run as its own process, like n8n:
 * `tsx tools/bench/floor.ts <port> <verification key>` prints `listening <port>` when ready.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import { SELECTED_EVENT } from './scenarios';

/** HMAC + JSON.parse + event-type check, as a pure function so the microbenchmark shares it. */
export function floorOutcome(
	key: string,
	body: Buffer,
	signature: string | undefined,
): 'emit' | 'ignore' | 'refuse' {
	const expected = createHmac('sha256', key).update(body).digest();
	const given = Buffer.from(signature ?? '', 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'refuse';
	const envelope = JSON.parse(body.toString('utf8')) as { event?: { type?: string } };
	return envelope.event?.type === SELECTED_EVENT ? 'emit' : 'ignore';
}

function answer(
	key: string,
	request: IncomingMessage,
	response: ServerResponse,
	body: Buffer,
): void {
	const header = request.headers['x-revops-content-hmac'];
	const outcome = floorOutcome(key, body, typeof header === 'string' ? header : undefined);
	if (outcome === 'refuse') {
		response
			.writeHead(401, { 'content-type': 'application/json' })
			.end('{"code":401,"message":"Bad signature"}');
		return;
	}
	response.writeHead(200, { 'content-type': 'text/plain' }).end(ACKNOWLEDGEMENT_TEXT);
}

if (require.main === module) {
	const [port, key] = process.argv.slice(2);
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => answer(key, request, response, Buffer.concat(chunks)));
	});
	server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
	process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
