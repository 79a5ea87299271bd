/**
 * A stand-in for a billing system on 127.0.0.1: records every request n8n's HTTP Request node
 * makes to it, and can be told to fail the first requests to test retries. Like Stripe, it
 * treats a repeated `Idempotency-Key` as the same charge: the repeat is answered but not
 * charged again, and counted in `repeatedKeys`.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

export interface BillingRequest {
	method: string;
	path: string;
	body: Record<string, unknown>;
}

export class BillingStub {
	readonly received: BillingRequest[] = [];
	/** Idempotency keys charged, each once. */
	readonly charged = new Set<string>();
	repeatedKeys = 0;
	private failuresLeft = 0;
	private server: Server | undefined;
	url = '';

	async start(): Promise<this> {
		this.server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				if (this.failuresLeft > 0) {
					this.failuresLeft -= 1;
					response
						.writeHead(503, { 'content-type': 'application/json' })
						.end('{"error":"billing is down"}');
					return;
				}
				const text = Buffer.concat(chunks).toString('utf8');
				const key = request.headers['idempotency-key'];
				if (typeof key === 'string') {
					if (this.charged.has(key)) this.repeatedKeys += 1;
					this.charged.add(key);
				}
				this.received.push({
					method: request.method ?? '',
					path: request.url ?? '',
					body: text ? JSON.parse(text) : {},
				});
				response
					.writeHead(201, { 'content-type': 'application/json' })
					.end(JSON.stringify({ id: `cus_${this.received.length}` }));
			});
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/customers`;
		return this;
	}

	/** The next `count` requests get 503 and are not recorded. */
	failNext(count: number): void {
		this.failuresLeft = count;
	}

	reset(): void {
		this.received.length = 0;
		this.charged.clear();
		this.repeatedKeys = 0;
		this.failuresLeft = 0;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}
}
