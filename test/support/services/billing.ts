/**
 * A stand-in for a billing system, served directly on 127.0.0.1 (`serve`) for the HTTP Request
 * node the trigger, fault and queue tests put after the trigger (postToBilling in
 * tools/n8n/workflows.ts). `POST /customers` creates a customer and answers 201. Like Stripe, it
 * treats a repeated `Idempotency-Key` as the same charge: the repeat is answered but not charged
 * again, and counted in `repeatedKeys`. `failNextCalls` makes it a billing system that is down.
 */
import { StubService, type StubAnswer, type StubRequest } from './service';

const BILLING_DOWN: StubAnswer = { status: 503, body: { error: 'billing is down' } };

export class BillingStub extends StubService {
	/** Idempotency keys charged, each once. */
	readonly charged = new Set<string>();
	repeatedKeys = 0;
	/** Where postToBilling sends, once served: http://127.0.0.1:<port>/customers */
	url = '';

	constructor() {
		super('127.0.0.1', (request) => this.charge(request));
	}

	async serve(): Promise<string> {
		const origin = await super.serve();
		this.url = `${origin}/customers`;
		return origin;
	}

	/** The next `count` calls are answered 503 and charge nothing; `received` still holds them. */
	failNextCalls(count: number): void {
		this.failNext(...Array.from({ length: count }, () => BILLING_DOWN));
	}

	reset(): void {
		super.reset();
		this.charged.clear();
		this.repeatedKeys = 0;
	}

	private charge(request: StubRequest): StubAnswer {
		if (request.method !== 'POST' || request.path !== '/customers')
			return { status: 404, body: { error: `no route ${request.method} ${request.path}` } };
		const key = request.headers['idempotency-key'];
		if (key !== undefined) {
			if (this.charged.has(key)) this.repeatedKeys += 1;
			this.charged.add(key);
		}
		return { status: 201, body: { id: `cus_${this.received.length}` } };
	}
}
