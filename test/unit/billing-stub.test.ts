/**
 * The billing stub the trigger, fault and queue tests point n8n's HTTP Request node at, served
 * directly on 127.0.0.1: what it charges, what it answers, and what it records.
 */
import { rawRequest } from '../support/http';
import { BillingStub } from '../support/services/billing';

const KEY = 'deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd';

describe('the billing stub, served directly', () => {
	const billing = new BillingStub();
	const bill = (key: string, path = '/customers') =>
		rawRequest(billing.url.replace('/customers', path), {
			headers: { 'content-type': 'application/json', 'idempotency-key': key },
			body: JSON.stringify({ dedupeKey: key }),
		});

	beforeAll(async () => {
		expect(await billing.serve()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});
	afterAll(async () => await billing.close());
	beforeEach(() => billing.reset());

	it('creates a customer and charges an Idempotency-Key once, counting the repeats', async () => {
		const first = await bill(KEY);
		const repeat = await bill(KEY);
		expect([first, repeat]).toEqual([
			{ status: 201, contentType: 'application/json', body: '{"id":"cus_1"}' },
			{ status: 201, contentType: 'application/json', body: '{"id":"cus_2"}' },
		]);
		expect([[...billing.charged], billing.repeatedKeys]).toEqual([[KEY], 1]);
		expect(
			billing.received.map(({ method, host, path, body }) => [method, host, path, body]),
		).toEqual([
			['POST', '127.0.0.1', '/customers', { dedupeKey: KEY }],
			['POST', '127.0.0.1', '/customers', { dedupeKey: KEY }],
		]);
	});

	it('answers 503 while down, charging nothing but recording the calls', async () => {
		billing.failNextCalls(2);
		const answers = [await bill(KEY), await bill(KEY), await bill(KEY)];
		expect(answers.map((answer) => [answer.status, answer.body])).toEqual([
			[503, '{"error":"billing is down"}'],
			[503, '{"error":"billing is down"}'],
			[201, '{"id":"cus_3"}'],
		]);
		expect([billing.received.length, [...billing.charged], billing.repeatedKeys]).toEqual([
			3,
			[KEY],
			0,
		]);
	});

	it('refuses any other route, and reset forgets calls, charges and queued failures', async () => {
		expect((await bill(KEY, '/invoices')).status).toBe(404);
		billing.failNextCalls(1);
		billing.reset();
		expect(billing.received).toEqual([]);
		expect((await bill(KEY)).status).toBe(201);
	});

	it('sends a late answer late', async () => {
		billing.failNext({ delayMs: 150 });
		const started = Date.now();
		expect((await bill(KEY)).status).toBe(201);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});
