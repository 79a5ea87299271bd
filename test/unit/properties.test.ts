import fc from 'fast-check';

import { handleDelivery, type DeliveryOutcome } from '../../nodes/RevOpsTrigger/delivery';
import { RevOpsTrigger } from '../../nodes/RevOpsTrigger/RevOpsTrigger.node';
import { fixtureJson, fixtureNames, jsonBytes, TEST_KEY } from '../support/fixtures';
import { getRequest, postRequest } from '../support/requests';
import { webhookContext } from '../support/webhook-context';

const everything = { events: ['*'], verificationKey: undefined, signature: undefined };
const RUNS = 400;

/** Holds for every outcome: a 4xx refusal, or an item built from a valid envelope. */
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
	expect(['deal', 'account']).toContain(item.objectType);
	expect(typeof item.eventType).toBe('string');
	expect(item.eventType.length).toBeGreaterThan(0);
	expect(item.dedupeKey.startsWith(`${item.eventType}:`)).toBe(true);
	const object = item.objectType === 'deal' ? (item as { deal: unknown }).deal : (item as { account: unknown }).account;
	expect(typeof object).toBe('object');
	expect(object).not.toBeNull();
	expect(Array.isArray(object)).toBe(false);
	expect(typeof item.event).toBe('object');
	if (item.objectType === 'deal') {
		expect(Array.isArray(item.enabledFeatureFlags)).toBe(true);
		for (const money of [item.netPrice, item.originalNetPrice]) {
			if (money !== null) expect(money.minorUnits === null || Number.isSafeInteger(money.minorUnits)).toBe(true);
		}
	}
}

const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const anyKey = fc.oneof(fc.string(), dangerousKey, fc.constantFrom('event', 'deal', 'account', 'type', 'status', 'body'));
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
			const key = typeof step === 'number' ? (keys[step % Math.max(keys.length, 1)] ?? String(step)) : step;
			if (index === path.length - 1) {
				Object.defineProperty(cursor, key, { value: replacement, enumerable: true, writable: true, configurable: true });
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

	it('any bytes give a 4xx or a valid item, never an exception', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
				assertWellFormed(handleDelivery(postRequest(Buffer.from(bytes)), everything));
			}),
			{ numRuns: RUNS },
		);
	});

	it('any JSON value gives a 4xx or a valid item', () => {
		fc.assert(
			fc.property(anyJson, (value) => {
				assertWellFormed(handleDelivery(postRequest(jsonBytes(value)), everything));
			}),
			{ numRuns: RUNS },
		);
	});

	it('fixtures with any field replaced give a 4xx or a valid item', () => {
		fc.assert(
			fc.property(mutatedFixture, (text) => {
				assertWellFormed(handleDelivery(postRequest(Buffer.from(text)), everything));
			}),
			{ numRuns: RUNS * 2 },
		);
	});

	it('__proto__ keys stay data: items keep them as own fields and nothing is polluted', () => {
		const text =
			'{"event":{"type":"deal-signed","id":"e","__proto__":{"polluted":1}},' +
			'"deal":{"__proto__":{"polluted":2},"terms":[{"friendly_name":"__proto__","value":"x"},{"friendly_name":"constructor","value":"y"}],' +
			'"feature_flags":[{"name":"__proto__","enabled":true}]}}';
		const outcome = handleDelivery(postRequest(Buffer.from(text)), everything);
		if (outcome.kind !== 'emit' || outcome.item.objectType !== 'deal') throw new Error('expected a deal item');
		const { item } = outcome;
		expect(Object.getPrototypeOf(item.terms)).toBe(Object.prototype);
		expect(Object.keys(item.terms)).toEqual(['__proto__', 'constructor']);
		expect(Object.getOwnPropertyDescriptor(item.terms, '__proto__')?.value).toBe('x');
		expect(item.enabledFeatureFlags).toEqual(['__proto__']);
		expect((item as unknown as Record<string, unknown>).polluted).toBeUndefined();
		expect(JSON.parse(JSON.stringify(item)).terms).toEqual(JSON.parse('{"__proto__":"x","constructor":"y"}'));
	});

	it('any query gives a 4xx or a valid item for GET', () => {
		const queryValue = fc.letrec((tie) => ({
			value: fc.oneof(
				{ depthSize: 'small' },
				fc.string(),
				fc.array(tie('value'), { maxLength: 3 }),
				fc.dictionary(anyKey, tie('value'), { maxKeys: 4 }),
			),
		})).value;
		fc.assert(
			fc.property(fc.dictionary(anyKey, queryValue, { maxKeys: 4 }), fc.string(), (query, queryString) => {
				assertWellFormed(handleDelivery(getRequest(query, queryString), everything));
			}),
			{ numRuns: RUNS },
		);
	});

	it('with a key set, a made-up signature never gets through', () => {
		fc.assert(
			fc.property(mutatedFixture, fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), fc.string()), (text, signature) => {
				const outcome = handleDelivery(postRequest(Buffer.from(text)), { events: ['*'], verificationKey: TEST_KEY, signature });
				expect(outcome).toMatchObject({ kind: 'reject', status: 401 });
			}),
			{ numRuns: RUNS },
		);
	});

	it('the node never throws, whatever arrives', async () => {
		const node = new RevOpsTrigger();
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)), mutatedFixture.map((text) => Buffer.from(text))),
				fc.constantFrom<'POST' | 'GET'>('POST', 'GET'),
				fc.constantFrom<'none' | 'verificationKey'>('none', 'verificationKey'),
				async (rawBody, method, authentication) => {
					const { context, response } = webhookContext({ method, rawBody, authentication, verificationKey: TEST_KEY });
					const result = await node.webhook.call(context);
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
