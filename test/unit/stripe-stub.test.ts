/**
 * The Stripe stand-in's idempotency, rule by rule as https://docs.stripe.com/api/idempotent_requests
 * describes it, called directly (no server, no proxy): the billing example's tests are only as
 * good as these rules.
 */
import { stubRequest, type StubAnswer } from '../support/services/service';
import { STRIPE_PRODUCT_ID, STRIPE_SECRET_KEY, StripeStub } from '../support/services/stripe';

const CUSTOMER_FORM =
	'name=Northwind&email=ap%40northwind.example&metadata%5Brevops_account_id%5D=cust_1';

function post(
	stripe: StripeStub,
	path: string,
	form: string,
	key?: string,
	headers: Record<string, string> = {},
): StubAnswer {
	return stripe.answer(
		stubRequest(
			'POST',
			new URL(`https://api.stripe.com${path}`),
			{
				authorization: `Bearer ${STRIPE_SECRET_KEY}`,
				'content-type': 'application/x-www-form-urlencoded',
				...(key === undefined ? {} : { 'idempotency-key': key }),
				...headers,
			},
			form,
		),
	);
}

/** A valid subscription for the one customer CUSTOMER_FORM creates. */
const SUBSCRIPTION_FIELDS = {
	customer: 'cus_1',
	'items[0][price_data][product]': STRIPE_PRODUCT_ID,
	'items[0][price_data][currency]': 'usd',
	'items[0][price_data][unit_amount]': '1000',
	'items[0][price_data][recurring][interval]': 'month',
};

const serverError: StubAnswer = {
	status: 500,
	body: { error: { type: 'api_error', message: 'An unknown error occurred' } },
};
const rateLimited: StubAnswer = {
	status: 429,
	body: { error: { type: 'invalid_request_error', code: 'rate_limit' } },
};

describe('the Stripe stand-in keeps idempotent answers as Stripe documents', () => {
	it('replays a successful answer for the same key and parameters, creating nothing more', () => {
		const stripe = new StripeStub();
		const first = post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1');
		const again = post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1');
		expect(first.status).toBe(200);
		expect(again).toEqual({
			...first,
			delayMs: undefined,
			headers: { 'idempotent-replayed': 'true' },
		});
		expect(stripe.customers).toHaveLength(1);
		expect(stripe.received).toHaveLength(2);
	});

	it('saves a 500 once the request ran, and replays it to every retry with that key', () => {
		const stripe = new StripeStub();
		stripe.failNext(serverError);
		expect(post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1').status).toBe(500);
		const retry = post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1');
		expect([retry.status, retry.headers]).toEqual([500, { 'idempotent-replayed': 'true' }]);
		expect(stripe.customers).toHaveLength(0);
		// A new key runs the request again.
		expect(post(stripe, '/v1/customers', CUSTOMER_FORM, 'k2').status).toBe(200);
		expect(stripe.customers).toHaveLength(1);
	});

	it('saves nothing for a 429 from the rate limiter: the retry with the same key runs', () => {
		const stripe = new StripeStub();
		stripe.failNext(rateLimited);
		expect(post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1').status).toBe(429);
		expect(post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1').status).toBe(200);
		expect(stripe.customers).toHaveLength(1);
	});

	it('saves nothing for parameters that failed validation: the key runs again with the fixed request', () => {
		const stripe = new StripeStub();
		const subscription = (customer: string) =>
			post(
				stripe,
				'/v1/subscriptions',
				new URLSearchParams({
					customer,
					'items[0][price_data][product]': STRIPE_PRODUCT_ID,
					'items[0][price_data][currency]': 'usd',
					'items[0][price_data][unit_amount]': '1000',
					'items[0][price_data][recurring][interval]': 'month',
				}).toString(),
				'k1',
			);
		expect(subscription('cus_1').status).toBe(400); // No such customer yet.
		post(stripe, '/v1/customers', CUSTOMER_FORM, 'customer');
		expect(subscription('cus_1').status).toBe(200);
		expect(stripe.subscriptions).toHaveLength(1);
	});

	it('refuses the same key with other parameters with idempotency_error, creating nothing', () => {
		const stripe = new StripeStub();
		post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1');
		const other = post(stripe, '/v1/customers', CUSTOMER_FORM.replace('Northwind', 'Other'), 'k1');
		expect(other.status).toBe(400);
		expect((other.body as { error: { type: string } }).error.type).toBe('idempotency_error');
		expect(stripe.customers).toHaveLength(1);
	});

	it('answers a slow request late, keeps its answer, and replays it at once', () => {
		const stripe = new StripeStub();
		stripe.failNext({ delayMs: 12_000 });
		const slow = post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1');
		expect([slow.status, slow.delayMs]).toEqual([200, 12_000]);
		const replay = post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1');
		expect([replay.status, replay.delayMs]).toEqual([200, undefined]);
		expect(stripe.customers).toHaveLength(1);
	});

	it('forgets keys when they expire, after at least 24 hours', () => {
		const stripe = new StripeStub();
		stripe.failNext(serverError);
		post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1');
		stripe.expireIdempotencyKeys();
		expect(post(stripe, '/v1/customers', CUSTOMER_FORM, 'k1').status).toBe(200);
	});
});

describe('the Stripe stand-in refuses subscriptions Stripe refuses', () => {
	const DAY_S = 86_400;
	const now = () => Math.floor(Date.now() / 1000);
	/** A subscription for the stand-in's one customer, with `fields` added or changed. */
	function subscribe(fields: Record<string, string>, headers: Record<string, string> = {}) {
		const stripe = new StripeStub();
		post(stripe, '/v1/customers', CUSTOMER_FORM);
		const form = new URLSearchParams({ ...SUBSCRIPTION_FIELDS, ...fields });
		const answer = post(stripe, '/v1/subscriptions', form.toString(), undefined, headers);
		return [answer.status, (answer.body as { error?: { param?: string } }).error?.param];
	}

	it('takes a valid one', () => {
		expect(subscribe({})).toEqual([200, undefined]);
	});

	it('refuses a product the account does not have, such as the shipped placeholder', () => {
		expect(
			subscribe({ 'items[0][price_data][product]': 'prod_REPLACE_WITH_YOUR_PRODUCT' }),
		).toEqual([400, 'items[0][price_data][product]']);
	});

	it('refuses a trial longer than 730 days', () => {
		expect(subscribe({ trial_end: String(now() + 729 * DAY_S) })).toEqual([200, undefined]);
		expect(subscribe({ trial_end: String(now() + 731 * DAY_S) })).toEqual([400, 'trial_end']);
	});

	it('backdates only to the past, and anchors the billing cycle only in the future', () => {
		const past = String(now() - 10 * DAY_S);
		const future = String(now() + 10 * DAY_S);
		expect(subscribe({ backdate_start_date: past, billing_cycle_anchor: future })).toEqual([
			200,
			undefined,
		]);
		expect(subscribe({ backdate_start_date: future })).toEqual([400, 'backdate_start_date']);
		expect(subscribe({ billing_cycle_anchor: past })).toEqual([400, 'billing_cycle_anchor']);
	});

	it('takes a Stripe-Version that names a release, and refuses any other', () => {
		expect(subscribe({}, { 'stripe-version': '2024-06-20' })).toEqual([200, undefined]);
		expect(subscribe({}, { 'stripe-version': 'latest' })).toEqual([400, undefined]);
	});
});

describe('the Stripe stand-in refuses customers Stripe refuses', () => {
	it('takes a country as an ISO 3166-1 alpha-2 code only', () => {
		const customer = (country: string) =>
			post(new StripeStub(), '/v1/customers', `${CUSTOMER_FORM}&address%5Bcountry%5D=${country}`)
				.status;
		expect([customer('US'), customer('USA'), customer('Japan')]).toEqual([200, 400, 400]);
	});
});

describe("the Stripe stand-in's lists, which have no search lag", () => {
	function get(stripe: StripeStub, path: string) {
		const answer = stripe.answer(
			stubRequest(
				'GET',
				new URL(`https://api.stripe.com${path}`),
				{ authorization: `Bearer ${STRIPE_SECRET_KEY}` },
				'',
			),
		);
		const body = answer.body as {
			data?: Array<{ id: string }>;
			has_more?: boolean;
			error?: { param?: string };
		};
		return [
			answer.status,
			body.data?.map((object) => object.id),
			body.has_more ?? body.error?.param,
		];
	}

	it('lists the most recent customers first, a page of `limit`, at most 100, and finds them before search does', () => {
		const stripe = new StripeStub();
		for (const account of ['cust_1', 'cust_2', 'cust_3'])
			post(stripe, '/v1/customers', CUSTOMER_FORM.replace('cust_1', account));
		expect(get(stripe, '/v1/customers?limit=2')).toEqual([200, ['cus_3', 'cus_2'], true]);
		expect(get(stripe, '/v1/customers?limit=101')).toEqual([400, undefined, 'limit']);
		expect(
			get(
				stripe,
				`/v1/customers/search?query=${encodeURIComponent("metadata['revops_account_id']:'cust_3'")}`,
			),
		).toEqual([200, [], false]);
	});

	it('lists the most recent subscriptions first', () => {
		const stripe = new StripeStub();
		post(stripe, '/v1/customers', CUSTOMER_FORM);
		const form = new URLSearchParams(SUBSCRIPTION_FIELDS).toString();
		post(stripe, '/v1/subscriptions', form);
		post(stripe, '/v1/subscriptions', form);
		expect(get(stripe, '/v1/subscriptions?status=all&limit=100')).toEqual([
			200,
			['sub_2', 'sub_1'],
			false,
		]);
	});
});
