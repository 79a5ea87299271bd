/**
 * examples/revops-billing-stripe.json in real n8n 2.41.1 and 1.123.81, calling api.stripe.com through the
 * intercepting proxy, where a stub refuses what Stripe refuses. Each case asserts what Stripe
 * would have stored and what RevOps was answered.
 */
import { randomUUID } from 'node:crypto';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';

import { fixtureBytes, fixtureJson, jsonBytes } from '../support/fixtures';
import { SlackStub } from '../support/services/slack';
import { STRIPE_PRODUCT_ID, STRIPE_SECRET_KEY, StripeStub } from '../support/services/stripe';
import type { N8nVersion } from '../../tools/n8n/install';
import {
	deliverReReport,
	EXAMPLE_VERSIONS,
	useExample,
	expectAcknowledged,
	expectRetried,
	n8nApiCredential,
	ALERT_CHANNEL,
	alertsAfterThreeFailedRuns,
	expectOneAlert,
} from './example-harness';

jest.setTimeout(300_000);

const DAY_MS = 86_400_000;
const SLACK_TOKEN = 'xoxb-revops-example';
const ASK_CHANNEL = 'C0BILLING';
/** The example's Settings as a user fills them in. */
const SETTINGS = {
	stripeProductId: STRIPE_PRODUCT_ID,
	netPriceCovers: 'year',
	slackChannelId: ASK_CHANNEL,
};

function suite(version: N8nVersion): void {
	describe(`the billing example (Stripe) in n8n ${version}`, () => {
		const stripe = new StripeStub();
		const slack = new SlackStub(SLACK_TOKEN, [ALERT_CHANNEL, ASK_CHANNEL]);
		const example = useExample(
			'revops-billing-stripe.json',
			[stripe, slack],
			{
				stripeApi: { secretKey: STRIPE_SECRET_KEY, notice: '' },
				slackApi: { accessToken: SLACK_TOKEN, signatureSecret: '', notice: '' },
				n8nApi: n8nApiCredential,
			},
			version,
			{ withErrorWorkflow: true, settings: SETTINGS },
		);

		type Deal = Record<string, unknown> & {
			terms: Array<{ friendly_name: string; value: unknown }>;
		};

		/**
		 * A fresh signed deal (its own deal, account and event ids) activating in 30 days, from the
		 * USD fixture, changed by `change`.
		 */
		function signedDeal(change: (deal: Deal) => void = () => {}): { body: Buffer; deal: Deal } {
			const envelope = structuredClone(fixtureJson('deal-signed')) as {
				event: Record<string, unknown>;
				deal: Deal;
			};
			envelope.event.id = randomUUID();
			envelope.deal.id = randomUUID();
			envelope.deal.account_id = `cust_${randomUUID().slice(0, 8)}`;
			envelope.deal.contract_activates_date =
				new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10) + 'T00:00:00Z';
			change(envelope.deal);
			return { body: jsonBytes(envelope), deal: envelope.deal };
		}

		/** A fresh signed deal for `price` in `currency`, billed at `frequency`. */
		function dealIn(price: string, currency: string, precision: number, frequency: string) {
			return signedDeal((deal) => {
				Object.assign(deal, {
					net_price: price,
					net_price_currency: currency,
					net_price_precision: precision,
				});
				setTerm(deal, 'Billing Frequency', frequency);
			});
		}

		function setTerm(deal: Deal, name: string, value: unknown): void {
			const term = deal.terms.find((candidate) => candidate.friendly_name === name);
			if (term === undefined) deal.terms.push({ friendly_name: name, value });
			else term.value = value;
		}

		const subscriptionsOf = (dealId: unknown) =>
			stripe.subscriptions.filter(
				(subscription) => subscription.metadata.revops_deal_id === dealId,
			);
		function expectPlan(deal: Deal, plan: Record<string, unknown>): void {
			expect(subscriptionsOf(deal.id)).toEqual([expect.objectContaining(plan)]);
		}
		const customersOf = (accountId: unknown) =>
			stripe.customers.filter((customer) => customer.metadata.revops_account_id === accountId);

		async function expectBilled(body: Buffer): Promise<void> {
			expectAcknowledged(await example.deliver(body));
		}

		/**
		 * The deal cannot be billed yet: RevOps gets its acknowledgement (it would only deliver the
		 * same bytes again), Stripe stores nothing new, and Slack gets one request to fix the deal
		 * in RevOps that names the deal and `reason`.
		 */
		async function expectAskedToFix(body: Buffer, reason: RegExp): Promise<void> {
			const [customers, subscriptions] = [stripe.customers.length, stripe.subscriptions.length];
			// RevOps sends the envelope as it is, or wrapped in `body`.
			const envelope = JSON.parse(body.toString('utf8')) as { deal?: Deal; body?: { deal: Deal } };
			const dealId = String((envelope.deal ?? envelope.body?.deal)?.id);
			const asked = () =>
				slack.messages.filter(
					(message) => message.display.includes(dealId) && reason.test(message.display),
				);
			const before = asked().length;
			expectAcknowledged(await example.deliver(body));
			expect([stripe.customers.length, stripe.subscriptions.length]).toEqual([
				customers,
				subscriptions,
			]);
			expect(asked().length - before).toBe(1);
			expect(asked().at(-1)!.channel).toBe(ASK_CHANNEL);
			expect(asked().at(-1)!.display).toMatch(
				/cannot be billed yet: .*Fix the deal in RevOps; the update bills it\.$/,
			);
		}

		afterEach(() => expect(example.refusedHosts()).toEqual([]));

		it('creates one customer and one subscription from a signed deal, billing from its activation date to the end of its term', async () => {
			const { body, deal } = signedDeal();
			await expectBilled(body);
			// https://docs.stripe.com/api/versioning: every call pins the version it was written for.
			expect(new Set(stripe.received.map((request) => request.headers['stripe-version']))).toEqual(
				new Set(['2024-06-20']),
			);

			const activates = Date.parse(String(deal.contract_activates_date)) / 1000;
			const contact = deal.billing_contact as Record<string, string>;
			expect(customersOf(deal.account_id)).toEqual([
				expect.objectContaining({
					name: 'Northwind Analytics, Inc.',
					email: contact.email,
					address: {
						line1: contact.address,
						city: contact.city,
						state: contact.state,
						postal_code: contact.postal_code,
						// RevOps' "USA", as Stripe takes it.
						country: 'US',
					},
				}),
			]);
			const end = new Date(activates * 1000);
			end.setUTCMonth(end.getUTCMonth() + 12);
			expect(subscriptionsOf(deal.id)).toEqual([
				expect.objectContaining({
					customer: customersOf(deal.account_id)[0]!.id,
					status: 'trialing',
					collection_method: 'send_invoice',
					days_until_due: 30,
					currency: 'usd',
					// "44400.00" USD a year, billed yearly: 4,440,000 cents.
					unit_amount: 4_440_000,
					interval: 'year',
					interval_count: 1,
					trial_end: activates,
					cancel_at: end.getTime() / 1000,
					metadata: { revops_deal_id: deal.id, payment_terms: 'Net 30' },
				}),
			]);
		});

		it('answers events that cannot carry a billable deal with their acknowledgement and starts no run, and acts on the status of every deal event', async () => {
			const ignored = await example.expectFixturesIgnoredExcept([
				'deal-signed',
				'deal-signed-jpy-body-wrapped',
				'deal-updated',
				'deal-active',
			]);
			expect(ignored).toBe(6);
			const stored = [stripe.customers.length, stripe.subscriptions.length];
			// A deal in negotiation: acknowledged, nothing billed, nobody asked.
			const messages = slack.messages.length;
			expectAcknowledged(await example.deliver(fixtureBytes('deal-updated')));
			expect([stripe.customers.length, stripe.subscriptions.length]).toEqual(stored);
			expect(slack.messages.length).toBe(messages);
			// The active Northwind deal ended in 2025: acknowledged, and Slack is asked.
			await expectAskedToFix(fixtureBytes('deal-active'), /contract term ended on 2025-06-01/);
		});

		it('bills a deal once however often RevOps reports it: the same delivery again, and a later re-report without event.type after the idempotency keys expired', async () => {
			const { body, deal } = signedDeal();
			await expectBilled(body);
			// RevOps lost our answer and sends the same bytes again, before Stripe's search has caught up.
			await expectBilled(body);
			expect([customersOf(deal.account_id).length, subscriptionsOf(deal.id).length]).toEqual([
				1, 1,
			]);

			// Days later: Stripe's search knows both objects, the keys are gone, and RevOps reports
			// an update of the signed deal in its body-wrapped shape with no event.type, which the
			// trigger infers as deal-signed with a new event id and dedupeKey.
			stripe.indexSearch();
			stripe.expireIdempotencyKeys();
			const delivery = await deliverReReport(example, deal);
			expect([delivery.status, delivery.execution.status]).toEqual([200, 'success']);
			expect([customersOf(deal.account_id).length, subscriptionsOf(deal.id).length]).toEqual([
				1, 1,
			]);
		});

		it('bills a deal once when RevOps reports it as signed, updated and activated at the same moment, round after round', async () => {
			for (let round = 0; round < 4; round += 1) {
				const { body, deal } = signedDeal();
				const envelope = JSON.parse(body.toString('utf8')) as { event: Record<string, unknown> };
				const event = (type: string | undefined, status: string) =>
					jsonBytes({
						event: { ...envelope.event, id: randomUUID(), type },
						deal: { ...deal, status },
					});
				// Stripe's search has not caught up with any of them: only the keys and lists can tell.
				const answers = await Promise.all(
					[body, event(undefined, 'signed'), event('deal-active', 'active')].map(
						async (each) => await example.send(each),
					),
				);
				for (const answer of answers) {
					expect(answer.status).toBe(200);
					expect(answer.body).toContain(ACKNOWLEDGEMENT_TEXT);
				}
				expect([customersOf(deal.account_id).length, subscriptionsOf(deal.id).length]).toEqual([
					1, 1,
				]);
			}
		});

		it("bills a deal once when RevOps reports a change to it seconds after it was billed, before Stripe's search has caught up", async () => {
			const { body, deal } = signedDeal();
			await expectBilled(body);
			// The net price and the billing contact's email changed: new requests, so new keys.
			const changed = jsonBytes({
				event: { id: randomUUID(), type: 'deal-updated', time: Math.floor(Date.now() / 1000) },
				deal: {
					...deal,
					net_price: '50000.00',
					billing_contact: {
						...(deal.billing_contact as object),
						email: 'ap-new@northwind.example',
					},
				},
			});
			await expectBilled(changed);
			expect([customersOf(deal.account_id).length, subscriptionsOf(deal.id).length]).toEqual([
				1, 1,
			]);
		});

		it('uses the existing customer of the account for a second deal', async () => {
			const first = signedDeal();
			await expectBilled(first.body);
			stripe.indexSearch();
			const second = signedDeal((deal) => (deal.account_id = first.deal.account_id));
			await expectBilled(second.body);
			expect(customersOf(first.deal.account_id)).toHaveLength(1);
			expect(subscriptionsOf(second.deal.id)).toEqual([
				expect.objectContaining({ customer: customersOf(first.deal.account_id)[0]!.id }),
			]);
		});

		it("bills RevOps' body-wrapped JPY deal in yen, backdated to its activation; one activated more than a billing period ago is for a person", async () => {
			// RevOps' body-wrapped JPY deal: no event.type, no contract term, activated in 2024.
			await expectAskedToFix(
				fixtureBytes('deal-signed-jpy-body-wrapped'),
				/activated on 2024-08-01, more than one billing period ago/,
			);
			const jpy = structuredClone(fixtureJson('deal-signed-jpy-body-wrapped')) as {
				body: { event: Record<string, unknown>; deal: Deal };
			};
			const activated = new Date(Date.now() - 10 * DAY_MS).toISOString().slice(0, 10);
			Object.assign(jpy.body.deal, {
				id: randomUUID(),
				contract_activates_date: `${activated}T00:00:00Z`,
			});
			jpy.body.event.id = randomUUID();
			await expectBilled(jsonBytes(jpy));
			// RevOps' "Japan", as Stripe takes it.
			expect(customersOf(jpy.body.deal.account_id)).toEqual([
				expect.objectContaining({ address: expect.objectContaining({ country: 'JP' }) }),
			]);
			const start = Date.parse(`${activated}T00:00:00Z`) / 1000;
			const anchor = new Date(start * 1000);
			anchor.setUTCFullYear(anchor.getUTCFullYear() + 1);
			expect(subscriptionsOf(jpy.body.deal.id)).toEqual([
				expect.objectContaining({
					currency: 'jpy',
					unit_amount: 4_860_000,
					interval: 'year',
					status: 'active',
					trial_end: null,
					cancel_at: null,
					days_until_due: 45,
					// The first invoice bills the time since activation; the cycle runs from it.
					start_date: start,
					billing_cycle_anchor: anchor.getTime() / 1000,
				}),
			]);
		});

		it('ends a one-month term activating on January 31 on the last day of February, as Stripe counts months', async () => {
			const year = new Date().getUTCFullYear() + 1;
			const { body, deal } = signedDeal((deal) => {
				deal.contract_activates_date = `${year}-01-31T00:00:00Z`;
				setTerm(deal, 'Contract Term (Months)', '1');
				setTerm(deal, 'Billing Frequency', 'monthly');
				Object.assign(deal, { net_price: '1200.00' });
			});
			await expectBilled(body);
			const lastOfFebruary = new Date(Date.UTC(year, 2, 0)).getTime() / 1000;
			expectPlan(deal, { unit_amount: 10_000, interval: 'month', cancel_at: lastOfFebruary });
		});

		// 1,200,000 ISK a year is 100,000 ISK a month, which Stripe counts in hundredths;
		// 1,200.120 KWD a year is 300.030 KWD a quarter, in fils (Stripe's three-decimal unit).
		it.each([
			{
				price: '1200000',
				currency: 'ISK',
				precision: 0,
				frequency: 'Monthly',
				unitAmount: 10_000_000,
				interval: 'month',
				count: 1,
			},
			{
				price: '1200.120',
				currency: 'KWD',
				precision: 3,
				frequency: 'quarterly',
				unitAmount: 300_030,
				interval: 'month',
				count: 3,
			},
		])('bills $price $currency a year, $frequency, as $unitAmount in Stripe units', async (row) => {
			const { body, deal } = dealIn(row.price, row.currency, row.precision, row.frequency);
			await expectBilled(body);
			expectPlan(deal, {
				currency: row.currency.toLowerCase(),
				unit_amount: row.unitAmount,
				interval: row.interval,
				interval_count: row.count,
			});
		});

		it('acknowledges a deal it cannot bill yet, storing nothing, and asks in Slack for the fix in RevOps', async () => {
			await expectAskedToFix(fixtureBytes('deal-signed'), /contract term ended on 2025-06-01/);
			await expectAskedToFix(
				signedDeal((deal) => (deal.billing_contact = { name: 'Priya Raman' })).body,
				/billing contact has no email/,
			);
			await expectAskedToFix(
				signedDeal((deal) => setTerm(deal, 'Billing Frequency', 'biennial')).body,
				/"Billing Frequency" term is "biennial"/,
			);
			await expectAskedToFix(
				signedDeal((deal) => setTerm(deal, 'Payment Terms', 'Net thirty')).body,
				/"Payment Terms" term is "Net thirty"/,
			);
			await expectAskedToFix(
				signedDeal((deal) => Object.assign(deal, { net_price: '-500.00' })).body,
				/negative \(a credit\)/,
			);
			await expectAskedToFix(
				dealIn('1200.125', 'KWD', 3, 'year').body,
				/KWD amounts that end in 0/,
			);
			await expectAskedToFix(
				signedDeal((deal) => Object.assign(deal.billing_contact as object, { country: 'Narnia' }))
					.body,
				/country "Narnia" is not a country name or ISO code Stripe takes/,
			);
			await expectAskedToFix(
				dealIn('1200006', 'ISK', 0, 'monthly').body,
				/ISK amounts in whole krónur/,
			);
			await expectAskedToFix(
				signedDeal(
					(deal) =>
						(deal.contract_activates_date = new Date(Date.now() + 800 * DAY_MS).toISOString()),
				).body,
				/more than the 730 days of trial Stripe allows/,
			);
			// RevOps' own example body: every value not set yet is "".
			const unset = structuredClone(fixtureJson('deal-created-unset-fields')) as {
				event: Record<string, unknown>;
				deal: Deal;
			};
			unset.event.type = 'deal-signed';
			unset.deal.status = 'signed';
			await expectAskedToFix(jsonBytes(unset), /has no account_id/);
		});

		it('alerts Slack once, naming the deal and the reason, when its run fails again and again', async () => {
			const { body, deal } = signedDeal();
			// https://docs.stripe.com/error-low-level: a 500 is Stripe's own failure.
			const serverError = {
				status: 500,
				body: { error: { type: 'api_error', message: 'An unknown error occurred' } },
			};
			// Each run fails on all three tries of its first Stripe call.
			const alerts = await alertsAfterThreeFailedRuns(
				example,
				slack,
				body,
				() => stripe.failNext(serverError, serverError, serverError),
				`deal ${String(deal.id)} (account ${String(deal.account_id)}) failed in `,
			);
			expectOneAlert(
				alerts,
				example,
				`deal-signed for deal ${String(deal.id)} \\(account ${String(deal.account_id)}\\)`,
			);
			expect(alerts[0]!.links).toEqual([
				{ url: expect.stringMatching(/\/executions\/\d+$/), label: 'Open the failed execution' },
			]);
			expect(subscriptionsOf(deal.id)).toEqual([]);
		});

		it('bills a deal once it is fixed in RevOps: Deal Updated bills it, and Deal Activated after it bills nothing more', async () => {
			const broken = signedDeal((deal) => (deal.billing_contact = { name: 'Priya Raman' }));
			await expectAskedToFix(broken.body, /billing contact has no email/);
			const fixed = structuredClone(JSON.parse(broken.body.toString('utf8'))) as {
				event: Record<string, unknown>;
				deal: Deal;
			};
			fixed.event = { ...fixed.event, id: randomUUID(), type: 'deal-updated' };
			fixed.deal.billing_contact = { name: 'Priya Raman', email: 'ap@northwind.example' };
			await expectBilled(jsonBytes(fixed));
			expect(subscriptionsOf(fixed.deal.id)).toHaveLength(1);
			const activated = structuredClone(fixed);
			activated.event = { ...activated.event, id: randomUUID(), type: 'deal-active' };
			activated.deal.status = 'active';
			await expectBilled(jsonBytes(activated));
			expect(subscriptionsOf(fixed.deal.id)).toHaveLength(1);
		});

		it("stops every billable deal while Settings hold a placeholder, bills a net price that covers the whole contract term by its share, and asks for a fix when the deal's SKUs say the net price is the other one", async () => {
			await example.republish({ stripeProductId: 'prod_REPLACE_WITH_YOUR_PRODUCT' });
			expectRetried(
				await example.deliver(signedDeal().body),
				/Settings: stripeProductId is "prod_REPLACE_WITH_YOUR_PRODUCT"/,
			);
			await example.republish({ netPriceCovers: 'REPLACE with year or contract' });
			expectRetried(
				await example.deliver(signedDeal().body),
				/Settings: netPriceCovers is "REPLACE/,
			);
			await example.republish({ netPriceCovers: 'contract' });
			// 108,000.00 USD for 36 months, billed yearly: 36,000.00 a year, not the whole price each
			// year. Its SKUs cost 48,000.00 a year, 144,000.00 for the term: its original net price.
			const contract = (deal: Deal) => {
				Object.assign(deal, { original_net_price: '144000.00', net_price: '108000.00' });
				setTerm(deal, 'Contract Term (Months)', '36');
			};
			const { body, deal } = signedDeal(contract);
			await expectBilled(body);
			expectPlan(deal, { unit_amount: 3_600_000, interval: 'year' });
			// A 36-month deal whose original net price is what its SKUs cost for one year.
			await expectAskedToFix(
				signedDeal((deal) => setTerm(deal, 'Contract Term (Months)', '36')).body,
				/is what its SKUs cost for one year, but Settings say the net price covers the whole contract/,
			);
			await example.republish({});
			await expectAskedToFix(
				signedDeal(contract).body,
				/is what its SKUs cost for the whole 36-month term, but Settings say the net price covers one year/,
			);
		});

		it('bills a deal whose subscription call got a 500, although Stripe replays that 500 to its key, and rides out a 429 and a slow answer', async () => {
			const { body, deal } = signedDeal();
			// Both searches, both lists and the customer as usual, then Stripe fails creating the subscription.
			// Stripe saves a 500 under its Idempotency-Key and replays it for 24 hours, to the
			// node's own retries and to RevOps' (https://docs.stripe.com/api/idempotent_requests).
			const serverError = {
				status: 500,
				body: { error: { type: 'api_error', message: 'An unknown error occurred' } },
			};
			// https://docs.stripe.com/rate-limits: 429 with code rate_limit; Stripe saves nothing for it.
			const rateLimited = {
				status: 429,
				headers: { 'retry-after': '1' },
				body: { error: { type: 'invalid_request_error', code: 'rate_limit' } },
			};
			// Then a 429 on the next request, and an answer slower than the node's 10 s timeout on the
			// one after: the subscription is made, and the node's retry gets it back from the key.
			stripe.failNext({}, {}, {}, {}, {}, serverError, rateLimited, {}, { delayMs: 12_000 });
			await expectBilled(body);
			expect([customersOf(deal.account_id).length, subscriptionsOf(deal.id).length]).toEqual([
				1, 1,
			]);
			// RevOps delivers the event again (our answer was lost): Stripe's list of the newest
			// subscriptions, which has no search lag, shows the deal billed before anything is sent.
			await expectBilled(body);
			expect(subscriptionsOf(deal.id)).toHaveLength(1);
			const subscriptionKeys = stripe.received
				.filter(
					(request) =>
						request.method === 'POST' &&
						request.path === '/v1/subscriptions' &&
						request.body['metadata[revops_deal_id]'] === deal.id,
				)
				.map((request) => request.headers['idempotency-key']);
			// The same key for the node's retries of one request; another only after Stripe's list said the deal had no subscription.
			expect(new Set(subscriptionKeys).size).toBe(2);
		});
	});
}

for (const version of EXAMPLE_VERSIONS) suite(version);
