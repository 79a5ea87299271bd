/**
 * api.stripe.com as far as the billing example uses it, refusing what Stripe refuses. Every
 * rule links the part of Stripe's documentation it follows.
 */
import { StubService, type StubAnswer, type StubRequest } from './service';

/** https://docs.stripe.com/currencies#three-decimal: the last digit must be 0. */
const THREE_DECIMAL = 'bhd jod kwd omr tnd'.split(' ');
/** https://docs.stripe.com/api/prices/create#create_price-recurring-interval */
const INTERVALS = ['day', 'week', 'month', 'year'];

type StripeObject = Record<string, unknown> & { id: string; metadata: Record<string, string> };

/** https://docs.stripe.com/api/errors: every error is `{ error: { type, message, param } }`. */
function invalid(message: string, param?: string, status = 400): StubAnswer {
	return { status, body: { error: { type: 'invalid_request_error', message, param } } };
}

/** `metadata[key]` form fields as Stripe stores them: https://docs.stripe.com/api/metadata */
function metadataOf(form: Record<string, unknown>): Record<string, string> {
	const metadata: Record<string, string> = {};
	for (const [name, value] of Object.entries(form)) {
		const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
		if (key !== undefined && value !== '') metadata[key] = String(value);
	}
	return metadata;
}

/**
 * Stripe reads an empty string as "unset this parameter" and refuses it where nothing can be
 * unset, for example on create: https://docs.stripe.com/api/metadata (empty values unset keys)
 * and the `parameter_missing`/`invalid_request_error` answers in https://docs.stripe.com/error-codes
 */
function emptyParameter(form: Record<string, unknown>): string | undefined {
	return Object.entries(form).find(
		([name, value]) => value === '' && !name.startsWith('metadata['),
	)?.[0];
}

const isInteger = (value: unknown): boolean => typeof value === 'string' && /^\d+$/.test(value);

/**
 * The search query language the examples use, one `metadata['key']:'value'` clause:
 * https://docs.stripe.com/search#search-query-language (quotes in values escaped with \).
 */
function searchClause(query: string | undefined): { key: string; value: string } | undefined {
	const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query ?? '');
	return match === null ? undefined : { key: match[1]!, value: match[2]!.replace(/\\(.)/g, '$1') };
}

/** The test-mode secret key the stub accepts; the billing test gives it to n8n's Stripe credential. */
export const STRIPE_SECRET_KEY = 'sk_test_revops_example';
/** The one product the account has: https://docs.stripe.com/api/products */
export const STRIPE_PRODUCT_ID = 'prod_RevOpsExample';
/** https://docs.stripe.com/billing/subscriptions/trials: a trial lasts at most 730 days. */
const MAX_TRIAL_S = 730 * 86_400;

export class StripeStub extends StubService {
	readonly customers: StripeObject[] = [];
	readonly subscriptions: StripeObject[] = [];
	/** Idempotency key -> the form it was first used with and the answer Stripe keeps for it. */
	private readonly idempotent = new Map<string, { rawBody: string; answer: StubAnswer }>();
	/**
	 * Search lags writes: "don't use search for read-after-write flows",
	 * https://docs.stripe.com/search#data-freshness. New objects become searchable only when the
	 * test says so (`indexSearch`), so a retry soon after a create must rely on its key.
	 */
	private searchable = new Set<string>();

	constructor() {
		super('api.stripe.com', (request) => this.route(request));
	}

	/** What Stripe's search index knows once it has caught up. */
	indexSearch(): void {
		for (const object of [...this.customers, ...this.subscriptions]) this.searchable.add(object.id);
	}

	/** Keys are kept at least 24 hours, then pruned: https://docs.stripe.com/api/idempotent_requests */
	expireIdempotencyKeys(): void {
		this.idempotent.clear();
	}

	/**
	 * Stripe's idempotency, https://docs.stripe.com/api/idempotent_requests: the first answer to a
	 * key is saved once the request started running, 500s included, and replayed (marked
	 * `Idempotent-Replayed`) for at least 24 hours; a request refused before it ran (invalid
	 * parameters, a bad API key, a 429 from the rate limiter, https://docs.stripe.com/rate-limits)
	 * saves nothing; a request with other parameters under a used key gets `idempotency_error`
	 * (https://docs.stripe.com/error-low-level#idempotency). A replay runs nothing, so it takes
	 * no queued failure.
	 */
	override answer(request: StubRequest): StubAnswer {
		const key = request.method === 'POST' ? request.headers['idempotency-key'] : undefined;
		const earlier = key === undefined ? undefined : this.idempotent.get(key);
		if (earlier === undefined) {
			const answer = super.answer(request);
			const status = answer.status ?? 200;
			if (key !== undefined && (status < 400 || status >= 500))
				this.idempotent.set(key, { rawBody: request.rawBody, answer });
			return answer;
		}
		this.received.push(request);
		if (earlier.rawBody !== request.rawBody)
			return {
				status: 400,
				body: {
					error: {
						type: 'idempotency_error',
						message:
							'Keys for idempotent requests can only be used with the same parameters they were first used with.',
					},
				},
			};
		return {
			...earlier.answer,
			delayMs: undefined,
			headers: { ...earlier.answer.headers, 'idempotent-replayed': 'true' },
		};
	}

	private route(request: StubRequest): StubAnswer {
		if (request.headers.authorization !== `Bearer ${STRIPE_SECRET_KEY}`)
			return invalid('Invalid API Key provided', undefined, 401);
		// https://docs.stripe.com/api/versioning: a version is a release date, with the release's name since 2024-09.
		const version = request.headers['stripe-version'];
		if (version !== undefined && !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version))
			return invalid(`Invalid Stripe API version: ${version}`);
		return this.answerFresh(request);
	}

	private answerFresh(request: StubRequest): StubAnswer {
		const route = `${request.method} ${request.path}`;
		const empty = emptyParameter(request.body);
		if (request.method === 'POST' && empty !== undefined)
			return invalid(
				`You passed an empty string for '${empty}'. We assume empty values are an attempt to unset a parameter; however '${empty}' cannot be unset.`,
				empty,
			);
		if (route === 'GET /v1/customers/search')
			return this.search(this.customers, request.query.query);
		if (route === 'GET /v1/subscriptions/search')
			return this.search(this.subscriptions, request.query.query);
		if (route === 'GET /v1/subscriptions') return this.listSubscriptions(request.query);
		if (route === 'GET /v1/customers') return this.listCustomers(request.query);
		if (route === 'POST /v1/customers') return this.createCustomer(request.body);
		if (route === 'POST /v1/subscriptions') return this.createSubscription(request.body);
		return invalid(`Unrecognized request URL (${request.method}: ${request.path})`, undefined, 404);
	}

	/** https://docs.stripe.com/api/customers/search and /api/subscriptions/search */
	private search(objects: StripeObject[], query: string | undefined): StubAnswer {
		const clause = searchClause(query);
		if (clause === undefined) return invalid(`Invalid search query: ${query ?? ''}`, 'query');
		const data = objects.filter(
			(object) => this.searchable.has(object.id) && object.metadata[clause.key] === clause.value,
		);
		return { status: 200, body: { object: 'search_result', data, has_more: false } };
	}

	/**
	 * https://docs.stripe.com/api/subscriptions/list: no search lag; the most recent first;
	 * canceled subscriptions only with `status=all`.
	 */
	private listSubscriptions(query: Record<string, string>): StubAnswer {
		return StripeStub.list(
			this.subscriptions.filter(
				(subscription) =>
					(query.customer === undefined || subscription.customer === query.customer) &&
					(query.status === 'all' || subscription.status !== 'canceled'),
			),
			query.limit,
		);
	}

	/**
	 * https://docs.stripe.com/api/customers/list: no search lag; the most recent first; `email`
	 * matches case-sensitively.
	 */
	private listCustomers(query: Record<string, string>): StubAnswer {
		return StripeStub.list(
			this.customers.filter(
				(customer) => query.email === undefined || customer.email === query.email,
			),
			query.limit,
		);
	}

	/**
	 * A page of a list, https://docs.stripe.com/api/pagination: `limit` 1 to 100 (10 when left
	 * out), the most recent objects first, and `has_more` when there are others.
	 */
	private static list(objects: StripeObject[], rawLimit: string | undefined): StubAnswer {
		const limit = Number(rawLimit ?? '10');
		if (!Number.isInteger(limit) || limit < 1 || limit > 100)
			return invalid('Invalid integer: limit must be between 1 and 100', 'limit');
		const newestFirst = [...objects].reverse();
		return {
			status: 200,
			body: {
				object: 'list',
				data: newestFirst.slice(0, limit),
				has_more: newestFirst.length > limit,
			},
		};
	}

	/** https://docs.stripe.com/api/customers/create */
	private createCustomer(form: Record<string, unknown>): StubAnswer {
		// https://docs.stripe.com/api/customers/create#create_customer-address-country: ISO 3166-1 alpha-2.
		const country = form['address[country]'];
		if (country !== undefined && !/^[A-Z]{2}$/.test(String(country)))
			return invalid(
				`Country '${String(country)}' is unknown. Try using a 2-character alpha code instead.`,
				'address[country]',
			);
		const customer: StripeObject = {
			id: `cus_${this.customers.length + 1}`,
			object: 'customer',
			name: form.name,
			email: form.email ?? null,
			address: Object.fromEntries(
				Object.entries(form)
					.map(([name, value]) => [/^address\[(.+)\]$/.exec(name)?.[1], value])
					.filter(([field]) => field !== undefined),
			),
			metadata: metadataOf(form),
		};
		this.customers.push(customer);
		return { status: 200, body: customer };
	}

	/** https://docs.stripe.com/api/subscriptions/create */
	private createSubscription(form: Record<string, unknown>): StubAnswer {
		const customer = this.customers.find((candidate) => candidate.id === form.customer);
		if (customer === undefined)
			return invalid(`No such customer: '${String(form.customer)}'`, 'customer');
		const price = 'items[0][price_data]';
		const currency = String(form[`${price}[currency]`] ?? '');
		const unitAmount = form[`${price}[unit_amount]`];
		const interval = form[`${price}[recurring][interval]`];
		const intervalCount = form[`${price}[recurring][interval_count]`] ?? '1';
		if (form[`${price}[product]`] === undefined)
			return invalid('Missing required param: items[0][price_data][product].', `${price}[product]`);
		// https://docs.stripe.com/api/subscriptions/create#create_subscription-items-price_data-product: an existing product.
		if (form[`${price}[product]`] !== STRIPE_PRODUCT_ID)
			return invalid(
				`No such product: '${String(form[`${price}[product]`])}'`,
				`${price}[product]`,
			);
		// https://docs.stripe.com/currencies: lowercase ISO codes only.
		if (!/^[a-z]{3}$/.test(currency))
			return invalid(`Invalid currency: ${currency}`, `${price}[currency]`);
		// https://docs.stripe.com/api/subscriptions/create#create_subscription-items-price_data-unit_amount: a non-negative integer.
		if (!isInteger(unitAmount))
			return invalid('Invalid non-negative integer', `${price}[unit_amount]`);
		// https://docs.stripe.com/currencies#special-cases: ISK amounts must be divisible by 100.
		if (currency === 'isk' && BigInt(unitAmount as string) % 100n !== 0n)
			return invalid(
				'Invalid amount. Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100.',
				`${price}[unit_amount]`,
			);
		if (THREE_DECIMAL.includes(currency) && BigInt(unitAmount as string) % 10n !== 0n)
			return invalid(
				`Amounts in ${currency.toUpperCase()} must end in 0.`,
				`${price}[unit_amount]`,
			);
		if (!INTERVALS.includes(String(interval)))
			return invalid(
				`Invalid recurring[interval]: must be one of day, week, month, or year`,
				`${price}[recurring][interval]`,
			);
		// https://docs.stripe.com/api/prices/create#create_price-recurring-interval_count: at most three years.
		const months =
			{ day: 1 / 30, week: 1 / 4, month: 1, year: 12 }[String(interval) as 'month'] *
			Number(intervalCount);
		if (!isInteger(intervalCount) || Number(intervalCount) < 1 || months > 36)
			return invalid('Invalid interval_count', `${price}[recurring][interval_count]`);
		// https://docs.stripe.com/api/subscriptions/create#create_subscription-days_until_due: required with send_invoice.
		if (form.collection_method === 'send_invoice' && !isInteger(form.days_until_due))
			return invalid('Missing required param: days_until_due.', 'days_until_due');
		// https://docs.stripe.com/invoicing/send-email: an invoice sent by email needs the customer's email.
		if (form.collection_method === 'send_invoice' && !customer.email)
			return invalid(
				'Missing email. In order to create invoices that are sent to the customer, the customer must have a valid email.',
				'customer',
			);
		const now = Math.floor(Date.now() / 1000);
		// Timestamps on one side of now, each rule from https://docs.stripe.com/api/subscriptions/create:
		// trial_end (or `now`), billing_cycle_anchor and cancel_at in the future, backdate_start_date in the past.
		const timestamps: Array<[string, 'past' | 'future']> = [
			['trial_end', 'future'],
			['backdate_start_date', 'past'],
			['billing_cycle_anchor', 'future'],
			['cancel_at', 'future'],
		];
		for (const [param, side] of timestamps) {
			const value = form[param];
			if (value === undefined || (param === 'trial_end' && value === 'now')) continue;
			const seconds = isInteger(value) ? Number(value) : NaN;
			if (!(side === 'past' ? seconds < now : seconds > now))
				return invalid(
					`Invalid timestamp: must be an integer Unix timestamp in the ${side}.`,
					param,
				);
		}
		// https://docs.stripe.com/billing/subscriptions/trials: at most 730 days.
		if (isInteger(form.trial_end) && Number(form.trial_end) > now + MAX_TRIAL_S)
			return invalid('Trials can be no longer than 730 days.', 'trial_end');
		const subscription: StripeObject = {
			id: `sub_${this.subscriptions.length + 1}`,
			object: 'subscription',
			status: form.trial_end !== undefined && form.trial_end !== 'now' ? 'trialing' : 'active',
			customer: customer.id,
			collection_method: form.collection_method ?? 'charge_automatically',
			days_until_due: form.days_until_due === undefined ? null : Number(form.days_until_due),
			currency,
			unit_amount: Number(unitAmount),
			interval,
			interval_count: Number(intervalCount),
			trial_end:
				form.trial_end === undefined || form.trial_end === 'now' ? null : Number(form.trial_end),
			cancel_at: form.cancel_at === undefined ? null : Number(form.cancel_at),
			start_date: form.backdate_start_date === undefined ? now : Number(form.backdate_start_date),
			billing_cycle_anchor:
				form.billing_cycle_anchor === undefined ? null : Number(form.billing_cycle_anchor),
			metadata: metadataOf(form),
		};
		this.subscriptions.push(subscription);
		return { status: 200, body: subscription };
	}
}
