import fc from 'fast-check';

import type { DeliveryOutcome } from '../../nodes/RevOpsTrigger/delivery';
import { AUTHENTICATION } from '../../nodes/RevOpsTrigger/settings';
import { signDelivery } from '../../nodes/RevOpsTrigger/verify';
import { outputSchema } from '../../tools/schema/output-schema';
import { fixtureJson, fixtureNames, jsonBytes, TEST_KEY } from '../support/fixtures';
import { itemChecker, ownFields } from '../support/output-schema';
import { deliver, getRequest, postRequest } from '../support/requests';
import { coreWebhook } from '../../tools/n8n-core/webhook';

const RUNS = 400;
// Hundreds of generated deliveries per test: on a loaded 2-core machine that outgrows Jest's 5 s default.
jest.setTimeout(120_000);
// A fixed seed keeps CI repeatable; FC_SEED=<n> explores other inputs.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261130) });

/** The shipped output schema (docs/output-schema.md), generated from the item types. */
const checkItem = itemChecker(outputSchema());

/**
 * Holds for every outcome: a 4xx refusal, or an item built from a valid envelope whose own
 * fields match the output schema.
 */
function assertWellFormed(outcome: DeliveryOutcome) {
	if (outcome.kind === 'fault') throw outcome.error;
	if (outcome.kind === 'reject') {
		expect(outcome.status).toBeGreaterThanOrEqual(400);
		expect(outcome.status).toBeLessThan(500);
		expect(outcome.message.length).toBeGreaterThan(0);
		return;
	}
	if (outcome.kind === 'ignore') {
		expect(typeof outcome.eventType).toBe('string');
		return;
	}
	const item = outcome.item;
	expect(checkItem(ownFields(item as unknown as Record<string, unknown>))).toEqual([]);
	expect(['deal', 'account']).toContain(item.objectType);
	expect(typeof item.eventType).toBe('string');
	expect(item.eventType.length).toBeGreaterThan(0);
	expect(item.dedupeKey.startsWith(`${encodeURIComponent(item.eventType)}:`)).toBe(true);
	expect(item.dedupeKey.split(':')[1]).toMatch(/^(id|sha256)$/);
	const object =
		item.objectType === 'deal'
			? (item as { deal: unknown }).deal
			: (item as { account: unknown }).account;
	expect(typeof object).toBe('object');
	expect(object).not.toBeNull();
	expect(Array.isArray(object)).toBe(false);
	expect(typeof item.event).toBe('object');
	if (item.objectType === 'deal') {
		expect(Array.isArray(item.enabledFeatureFlags)).toBe(true);
		for (const money of [item.netPrice, item.originalNetPrice]) {
			if (money !== null)
				expect(money.minorUnits === null || Number.isSafeInteger(money.minorUnits)).toBe(true);
		}
	}
}

const dangerousKey = fc.constantFrom(
	'__proto__',
	'constructor',
	'prototype',
	'toString',
	'hasOwnProperty',
);
const anyKey = fc.oneof(
	fc.string(),
	dangerousKey,
	fc.constantFrom('event', 'deal', 'account', 'type', 'status', 'body'),
);
const anyJson = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small' },
		fc.constant(null),
		fc.boolean(),
		fc.integer(),
		fc.double(),
		fc.string(),
		fc.array(tie('value'), { maxLength: 4 }),
		fc.dictionary(anyKey, tie('value'), { maxKeys: 5 }),
	),
})).value;

/** A real fixture with one field, anywhere in it, replaced by something else. */
const mutatedFixture = fc
	.record({
		name: fc.constantFrom(...fixtureNames()),
		path: fc.array(fc.oneof(fc.nat({ max: 6 }), anyKey), { minLength: 1, maxLength: 4 }),
		replacement: anyJson,
	})
	.map(({ name, path, replacement }) => {
		const json = fixtureJson(name) as Record<string, unknown>;
		let cursor: unknown = json;
		for (const [index, step] of path.entries()) {
			if (typeof cursor !== 'object' || cursor === null) break;
			const keys = Object.keys(cursor);
			const key =
				typeof step === 'number' ? (keys[step % Math.max(keys.length, 1)] ?? String(step)) : step;
			if (index === path.length - 1) {
				Object.defineProperty(cursor, key, {
					value: replacement,
					enumerable: true,
					writable: true,
					configurable: true,
				});
			} else {
				// Walk own fields only, or the generator itself would write into Object.prototype.
				cursor = Object.hasOwn(cursor, key) ? (cursor as Record<string, unknown>)[key] : undefined;
			}
		}
		return JSON.stringify(json);
	});

describe('generated input', () => {
	afterEach(() => {
		// A prototype-pollution bug would leave a trace on every plain object.
		expect(Object.keys(Object.prototype)).toEqual([]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('any bytes give a 4xx or a valid item, never an exception', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
				assertWellFormed(await deliver(postRequest(Buffer.from(bytes))));
			}),
			{ numRuns: RUNS },
		);
	});

	it('any JSON value gives a 4xx or a valid item', async () => {
		await fc.assert(
			fc.asyncProperty(anyJson, async (value) => {
				assertWellFormed(await deliver(postRequest(jsonBytes(value))));
			}),
			{ numRuns: RUNS },
		);
	});

	it('fixtures with any field replaced give a 4xx or a valid item', async () => {
		await fc.assert(
			fc.asyncProperty(mutatedFixture, async (text) => {
				assertWellFormed(await deliver(postRequest(Buffer.from(text))));
			}),
			{ numRuns: RUNS * 2 },
		);
	});

	it('__proto__ keys stay data: items keep them as own fields and nothing is polluted', async () => {
		const text =
			'{"event":{"type":"deal-signed","id":"e","__proto__":{"polluted":1}},' +
			'"deal":{"__proto__":{"polluted":2},"terms":[{"friendly_name":"__proto__","value":"x"},{"friendly_name":"constructor","value":"y"}],' +
			'"feature_flags":[{"name":"__proto__","enabled":true}]}}';
		const outcome = await deliver(postRequest(Buffer.from(text)));
		if (outcome.kind !== 'emit' || outcome.item.objectType !== 'deal')
			throw new Error('expected a deal item');
		const { item } = outcome;
		expect(Object.getPrototypeOf(item.terms)).toBe(Object.prototype);
		expect(Object.keys(item.terms)).toEqual(['__proto__', 'constructor']);
		expect(Object.getOwnPropertyDescriptor(item.terms, '__proto__')?.value).toBe('x');
		expect(item.enabledFeatureFlags).toEqual(['__proto__']);
		expect((item as unknown as Record<string, unknown>).polluted).toBeUndefined();
		expect(JSON.parse(JSON.stringify(item)).terms).toEqual(
			JSON.parse('{"__proto__":"x","constructor":"y"}'),
		);
	});

	it('any query gives a 4xx or a valid item for GET', async () => {
		const queryValue = fc.letrec((tie) => ({
			value: fc.oneof(
				{ depthSize: 'small' },
				fc.string(),
				fc.array(tie('value'), { maxLength: 3 }),
				fc.dictionary(anyKey, tie('value'), { maxKeys: 4 }),
			),
		})).value;
		await fc.assert(
			fc.asyncProperty(
				fc.dictionary(anyKey, queryValue, { maxKeys: 4 }),
				fc.string(),
				async (query, queryString) => {
					assertWellFormed(await deliver(getRequest(query, queryString)));
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('with a key set, a made-up signature never gets through', async () => {
		await fc.assert(
			fc.asyncProperty(
				mutatedFixture,
				fc.oneof(
					fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
					fc.string(),
				),
				async (text, signature) => {
					const outcome = await deliver(
						postRequest(Buffer.from(text), { signature }),
						{ events: ['*'], authentication: 'verificationKey' },
						TEST_KEY,
					);
					expect(outcome).toMatchObject({ kind: 'reject', status: 401 });
				},
			),
			{ numRuns: RUNS },
		);
	});

	it("the node never throws, whatever arrives, in n8n-core's WebhookContext", async () => {
		const hooks = Object.fromEntries(
			await Promise.all(
				[AUTHENTICATION.none, AUTHENTICATION.verificationKey].map(
					async (authentication) =>
						[
							authentication,
							await coreWebhook({
								parameters: { events: ['*'], authentication },
								credential: { verificationSecret: TEST_KEY },
							}),
						] as const,
				),
			),
		);
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
					mutatedFixture.map((text) => Buffer.from(text)),
				),
				fc.constantFrom<'POST' | 'GET'>('POST', 'GET'),
				fc.constantFrom(AUTHENTICATION.none, AUTHENTICATION.verificationKey),
				async (rawBody, method, authentication) => {
					const { result, response } = await hooks[authentication].call({ method, rawBody });
					if (result.noWebhookResponse) {
						expect(response.status).toBeGreaterThanOrEqual(400);
						expect(response.status).toBeLessThan(500);
					} else {
						expect(result.workflowData ?? result.webhookResponse).toBeDefined();
					}
				},
			),
			{ numRuns: RUNS },
		);
	});
});

/** Every field of RevOps' models (docs/revops-webhooks.md §6), as a path from the envelope. */
const CONTACT_FIELDS = ['name', 'email', 'address', 'city', 'state', 'country', 'postal_code'];
const SKU_FIELDS = [
	'id',
	'title',
	'friendly_name',
	'description',
	'quantity',
	'unit_name',
	'billing_schedule',
	'monthly_price',
	'monthly_price_currency',
	'annual_price',
	'annual_price_currency',
	'pricebook_id',
	'product_id',
];
const DEAL_PATHS: Array<Array<string | number>> = [
	...[
		'id',
		'status',
		'signed_contract_url',
		'contract_activates_date',
		'hubspot_deal_id',
		'opportunity_id',
		'original_net_price',
		'original_net_price_currency',
		'original_net_price_precision',
		'net_price',
		'net_price_currency',
		'net_price_precision',
		'account_id',
		'customer',
		'billing_contact',
		'lead_contact',
		'feature_flags',
		'skus',
		'terms',
	].map((field) => ['deal', field]),
	['deal', 'customer', 'legal_name'],
	...CONTACT_FIELDS.flatMap((field) => [
		['deal', 'billing_contact', field],
		['deal', 'lead_contact', field],
	]),
	['deal', 'feature_flags', 0],
	['deal', 'feature_flags', 0, 'name'],
	['deal', 'feature_flags', 0, 'enabled'],
	['deal', 'skus', 0],
	...SKU_FIELDS.map((field) => ['deal', 'skus', 0, field]),
	['deal', 'terms', 0],
	...['id', 'friendly_name', 'description', 'value'].map((field) => ['deal', 'terms', 0, field]),
];
const ACCOUNT_PATHS = ['account_id', 'blocked', 'email', 'name', 'parent_account_id', 'status'].map(
	(field) => ['account', field],
);
const EVENT_PATHS = ['id', 'time', 'type', 'hash'].map((field) => ['event', field]);

/** Values of every JSON type, including the empty string RevOps uses for unset values and very long text. */
const anyFieldValue = fc.oneof(
	fc.constantFrom('', null, 0, -1, true, false, [], {}),
	fc.integer(),
	fc.double(),
	fc.string(),
	fc.string({ minLength: 5_000, maxLength: 5_000 }),
	anyJson,
);

function setPath(
	target: Record<string, unknown>,
	path: Array<string | number>,
	value: unknown,
): void {
	let cursor: Record<string, unknown> = target;
	path.slice(0, -1).forEach((step, index) => {
		// A field replaced earlier in the same run may have left a scalar where this path goes on.
		const wantsList = typeof path[index + 1] === 'number';
		const current = cursor[step];
		if (typeof current !== 'object' || current === null || Array.isArray(current) !== wantsList)
			cursor[step] = wantsList ? [{}] : {};
		cursor = cursor[step] as Record<string, unknown>;
	});
	cursor[path[path.length - 1]] = value;
}

describe('authentic deliveries with any value in any model field', () => {
	const samples = fixtureNames().map((file) => file.replace(/\.json$/, ''));
	const changes = fc.constantFrom(...samples).chain((name) => {
		const json = fixtureJson(name);
		const envelope = (json.body ?? json) as Record<string, unknown>;
		const paths = [...(envelope.deal ? DEAL_PATHS : ACCOUNT_PATHS), ...EVENT_PATHS];
		return fc.record({
			name: fc.constant(name),
			fields: fc.array(fc.tuple(fc.constantFrom(...paths), anyFieldValue), {
				minLength: 1,
				maxLength: 4,
			}),
		});
	});

	it('are always emitted, signed and verified, with the object exactly as sent', async () => {
		await fc.assert(
			fc.asyncProperty(changes, async ({ name, fields }) => {
				const json = fixtureJson(name);
				const envelope = (json.body ?? json) as Record<string, unknown>;
				for (const [path, value] of fields) {
					// A catalogued type about the other object is the one contradiction that is refused (bad-input tests).
					if (
						path.join('.') === 'event.type' &&
						typeof value === 'string' &&
						/^(deal|account)-/.test(value)
					)
						continue;
					setPath(envelope, path, value);
				}
				const body = jsonBytes(json);
				const outcome = await deliver(
					postRequest(body, { signature: signDelivery(TEST_KEY, body) }),
					{ events: ['*'], authentication: 'verificationKey' },
					TEST_KEY,
				);
				if (outcome.kind !== 'emit')
					throw new Error(`refused: ${JSON.stringify(outcome).slice(0, 300)}`);
				const objectType = outcome.item.objectType;
				expect(outcome.item.signatureVerified).toBe(true);
				// Compared with what the bytes hold: JSON has no -0, so a generated -0 arrives as 0.
				const sent = JSON.parse(body.toString('utf8'));
				expect((outcome.item as unknown as Record<string, unknown>)[objectType]).toEqual(
					(sent.body ?? sent)[objectType],
				);
				for (const warning of outcome.item.warnings)
					expect(warning).toMatch(/^(deal|account|event)\.|^The delivery has both/);
			}),
			{ numRuns: RUNS, endOnFailure: true },
		);
	});
});
