import { createHash } from 'crypto';

import {
	checkAge,
	handleDelivery,
	UNUSABLE_SETTING_STATUS,
} from '../../nodes/RevOpsTrigger/delivery';
import type { TriggerSettings } from '../../nodes/RevOpsTrigger/settings';
import * as item from '../../nodes/RevOpsTrigger/item';
import { REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { SIGNATURE_MISMATCH, signDelivery } from '../../nodes/RevOpsTrigger/verify';
import { EXPECTED_ITEMS, expectedItem } from '../support/expected-items';
import { refusal } from '../support/refusal';
import { fixtureBytes, jsonBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';
import {
	asNodeParameters,
	deliver,
	emittedItem,
	getRequest,
	postRequest,
	UNSIGNED_ALL,
} from '../support/requests';

const SIGNED_ALL: TriggerSettings = { events: ['*'], authentication: 'verificationKey' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('every fixture', () => {
	it.each(Object.keys(EXPECTED_ITEMS))('%s becomes exactly the documented item', async (name) => {
		expect(await emittedItem(deliver(postRequest(fixtureBytes(name))))).toEqual(
			expectedItem(name, false),
		);
	});

	it.each(Object.keys(EXPECTED_ITEMS))(
		'%s, signed, becomes the documented item marked verified',
		async (name) => {
			const body = fixtureBytes(name);
			const request = postRequest(body, { signature: signDelivery(TEST_KEY, body) });
			expect(await emittedItem(deliver(request, SIGNED_ALL, TEST_KEY))).toEqual(
				expectedItem(name, true),
			);
		},
	);

	it.each(Object.keys(SIGNATURE_VECTORS))('%s passes with its contract signature', async (file) => {
		const request = postRequest(fixtureBytes(file), { signature: SIGNATURE_VECTORS[file] });
		expect((await emittedItem(deliver(request, SIGNED_ALL, TEST_KEY))).signatureVerified).toBe(
			true,
		);
	});
});

describe('the signature check', () => {
	const body = fixtureBytes('deal-signed');

	it.each([
		['missing', undefined],
		['wrong', signDelivery('not-the-key', body)],
		['made with the empty key', signDelivery('', body)],
	])('answers 401 to a %s signature', async (_label, signature) => {
		expect(await deliver(postRequest(body, { signature }), SIGNED_ALL, TEST_KEY)).toEqual({
			kind: 'reject',
			status: 401,
			message: SIGNATURE_MISMATCH,
		});
	});

	it.each([
		['an empty key', ''],
		['no key at all', undefined],
	])(
		'fails closed with %s: 401 even for a delivery signed with that key, and a warning for the log',
		async (_label, key) => {
			const outcome = await deliver(
				postRequest(body, { signature: signDelivery('', body) }),
				SIGNED_ALL,
				key,
			);
			expect(outcome).toMatchObject({
				kind: 'reject',
				status: 401,
				message: 'The trigger has no Verification Key, so it cannot verify any delivery',
			});
			expect(outcome.kind === 'reject' && outcome.operatorWarning).toContain(
				'holds no Verification Key',
			);
		},
	);

	it('follows the Authentication setting, not whether a key happens to load', async () => {
		let loads = 0;
		const outcome = await handleDelivery(
			postRequest(body),
			asNodeParameters(UNSIGNED_ALL),
			async () => {
				loads += 1;
				return [{ position: 1, key: TEST_KEY }];
			},
		);
		expect(outcome.kind === 'emit' && outcome.item.signatureVerified).toBe(false);
		expect(loads).toBe(0);
	});

	// An imported workflow with a typo, or an expression that resolved to something else: only
	// exactly "none" is off, and anything but the two options refuses every delivery, signed or
	// not, with an answer RevOps retries.
	it.each(['verificationkey', '', 'None', 'off', 'false'])(
		'never accepts an unsigned delivery with an Authentication of %p, and refuses a signed one with 409',
		async (authentication) => {
			const unusable = {
				kind: 'reject',
				status: UNUSABLE_SETTING_STATUS,
				message: expect.stringContaining("'Authentication' setting is not usable"),
			};
			expect(await deliver(postRequest(body), { events: ['*'], authentication }, TEST_KEY)).toEqual(
				expect.objectContaining(unusable),
			);
			const signed = await deliver(
				postRequest(body, { signature: SIGNATURE_VECTORS['deal-signed.json'] }),
				{ events: ['*'], authentication },
				TEST_KEY,
			);
			expect(signed).toEqual(expect.objectContaining(unusable));
		},
	);

	it("accepts a delivery signed with any of the credential's keys and names it in the item, also for a filtered event", async () => {
		const credential = {
			verificationSecret: 'new-key',
			verificationSecret2: TEST_KEY,
			verificationSecret3: 'sandbox-key',
		};
		const signedWith = (key: string) => postRequest(body, { signature: signDelivery(key, body) });
		for (const [key, position] of [
			['new-key', 1],
			[TEST_KEY, 2],
			['sandbox-key', 3],
		] as const) {
			const outcome = await deliver(signedWith(key), SIGNED_ALL, credential);
			expect(
				outcome.kind === 'emit' && [outcome.item.signatureVerified, outcome.item.verifiedWithKey],
			).toEqual([true, position]);
			expect(
				await deliver(signedWith(key), { ...SIGNED_ALL, events: ['account-created'] }, credential),
			).toEqual({ kind: 'ignore', eventType: 'deal-signed', verifiedWithKey: position });
		}
		expect(await deliver(signedWith('removed-key'), SIGNED_ALL, credential)).toEqual({
			kind: 'reject',
			status: 401,
			message: SIGNATURE_MISMATCH,
		});
	});

	it('refuses everything when every key field is empty, even a delivery signed with the empty key', async () => {
		const outcome = await deliver(
			postRequest(body, { signature: signDelivery('', body) }),
			SIGNED_ALL,
			{ verificationSecret: '', verificationSecret2: '' },
		);
		expect(outcome).toMatchObject({
			kind: 'reject',
			status: 401,
			message: 'The trigger has no Verification Key, so it cannot verify any delivery',
		});
	});

	it('runs before the body is parsed, so forged garbage gets 401 rather than 400', async () => {
		expect(
			await deliver(postRequest(Buffer.from('{not json')), SIGNED_ALL, TEST_KEY),
		).toMatchObject({ kind: 'reject', status: 401 });
	});

	it('refuses an unsigned GET when a key is set', async () => {
		const payload = body.toString('utf8');
		expect(await deliver(getRequest({ payload }, 'payload=x'), SIGNED_ALL, TEST_KEY)).toMatchObject(
			{ kind: 'reject', status: 401 },
		);
	});

	it('never puts the key in an answer', async () => {
		const outcome = await deliver(
			postRequest(body, { signature: '0'.repeat(64) }),
			SIGNED_ALL,
			TEST_KEY,
		);
		expect(JSON.stringify(outcome)).not.toContain(TEST_KEY);
	});

	it("reports a key that cannot be loaded as a fault of the trigger, not as the sender's", async () => {
		const outcome = await handleDelivery(
			postRequest(body, { signature: SIGNATURE_VECTORS['deal-signed.json'] }),
			asNodeParameters(SIGNED_ALL),
			async () => {
				throw new Error('Node does not have any credentials set');
			},
		);
		expect(outcome).toEqual({
			kind: 'fault',
			error: new Error('Node does not have any credentials set'),
		});
	});
});

describe('one grammar per signature', () => {
	const queryString = 'event[id]=e-1&event[type]=account-updated&account[account_id]=a-1';
	const query = { event: { id: 'e-1', type: 'account-updated' }, account: { account_id: 'a-1' } };

	it('refuses a bracketed-query GET with a key, even when the raw query string is signed', async () => {
		const signature = signDelivery(TEST_KEY, Buffer.from(queryString));
		expect(
			await deliver(getRequest(query, queryString, undefined, { signature }), SIGNED_ALL, TEST_KEY),
		).toEqual({
			kind: 'reject',
			status: 401,
			message:
				'A signed GET must carry the JSON envelope in a "payload" query parameter; bracketed query keys are accepted only with Authentication set to None',
		});
	});

	it('so a signed compact JSON body replayed as a query string is refused', async () => {
		// An attacker-chosen account name that, read as a query string, adds fields of its own.
		const body = jsonBytes({
			event: { type: 'account-updated' },
			account: { name: 'x&event[type]=deal-signed&deal[id]=free' },
		});
		const replayed = body.toString('utf8');
		const parsedByN8n = {
			'{"event":{"type":"account-updated"},"account":{"name":"x': '',
			event: { type: 'deal-signed' },
			deal: { id: 'free' },
		};
		const outcome = await deliver(
			getRequest(parsedByN8n, replayed, undefined, { signature: signDelivery(TEST_KEY, body) }),
			SIGNED_ALL,
			TEST_KEY,
		);
		expect(outcome).toMatchObject({ kind: 'reject', status: 401 });
	});

	it('accepts the bracketed query without a key, where nothing claims to be verified', async () => {
		expect(await emittedItem(deliver(getRequest(query, queryString)))).toMatchObject({
			accountId: 'a-1',
			signatureVerified: false,
		});
	});
});

describe('the event filter', () => {
	it.each(REVOPS_EVENTS.map((event) => event.type))(
		'emits %s only when it is selected',
		async (type) => {
			const body = fixtureBytes(type);
			const others = REVOPS_EVENTS.map((event) => event.type).filter((other) => other !== type);
			expect((await deliver(postRequest(body), { ...UNSIGNED_ALL, events: [type] })).kind).toBe(
				'emit',
			);
			expect(await deliver(postRequest(body), { ...UNSIGNED_ALL, events: others })).toEqual({
				kind: 'ignore',
				eventType: type,
				verifiedWithKey: null,
			});
		},
	);

	it('filters on the inferred type when event.type is missing', async () => {
		const body = fixtureBytes('deal-signed-jpy-body-wrapped');
		expect(
			(await deliver(postRequest(body), { ...UNSIGNED_ALL, events: ['deal-signed'] })).kind,
		).toBe('emit');
		expect(
			(await deliver(postRequest(body), { ...UNSIGNED_ALL, events: ['deal-updated'] })).kind,
		).toBe('ignore');
	});

	it('passes an unknown event type through only when listening to all events', async () => {
		const body = jsonBytes({ event: { id: 'e-1', type: 'deal-archived' }, deal: { id: 'd-1' } });
		expect(await emittedItem(deliver(postRequest(body)))).toMatchObject({
			eventType: 'deal-archived',
			objectType: 'deal',
			eventTypeInferred: false,
		});
		expect(
			await deliver(postRequest(body), {
				...UNSIGNED_ALL,
				events: REVOPS_EVENTS.map((e) => e.type),
			}),
		).toEqual({
			kind: 'ignore',
			eventType: 'deal-archived',
			verifiedWithKey: null,
		});
	});

	it('filters before the item is built, so an event nobody listens to costs no summary', async () => {
		const build = jest.spyOn(item, 'toItem');
		try {
			const body = fixtureBytes('deal-signed');
			expect(
				(await deliver(postRequest(body), { ...UNSIGNED_ALL, events: ['account-created'] })).kind,
			).toBe('ignore');
			expect(build).not.toHaveBeenCalled();
			expect(
				(await deliver(postRequest(body), { ...UNSIGNED_ALL, events: ['deal-signed'] })).kind,
			).toBe('emit');
			expect(build).toHaveBeenCalledTimes(1);
		} finally {
			build.mockRestore();
		}
	});

	it('refuses with 409, never acknowledges, when no event is selected', async () => {
		expect(
			await deliver(postRequest(fixtureBytes('deal-signed')), { ...UNSIGNED_ALL, events: [] }),
		).toMatchObject({ kind: 'reject', status: UNUSABLE_SETTING_STATUS });
	});

	it.each([
		['a part of an event name, as text', 'deal'],
		['an event name as text rather than a list', 'deal-signed'],
		['a list with a part of an event name', ['deal']],
	])('matches whole names only: %s is refused, not matched', async (_label, events) => {
		expect(
			await deliver(postRequest(fixtureBytes('deal-signed')), { ...UNSIGNED_ALL, events }),
		).toMatchObject({ kind: 'reject', status: UNUSABLE_SETTING_STATUS });
	});

	it('runs after the signature check, so only a signed delivery of an unselected type is acknowledged (SECURITY.md)', async () => {
		const body = fixtureBytes('account-created');
		const onlyDeals: TriggerSettings = {
			events: ['deal-signed'],
			authentication: 'verificationKey',
		};
		const forged = postRequest(body, { signature: '0'.repeat(64) });
		expect(await deliver(postRequest(body), onlyDeals, TEST_KEY)).toEqual({
			kind: 'reject',
			status: 401,
			message: SIGNATURE_MISMATCH,
		});
		expect(await deliver(forged, onlyDeals, TEST_KEY)).toEqual({
			kind: 'reject',
			status: 401,
			message: SIGNATURE_MISMATCH,
		});
		const signed = postRequest(body, { signature: SIGNATURE_VECTORS['account-created.json'] });
		expect(await deliver(signed, onlyDeals, TEST_KEY)).toEqual({
			kind: 'ignore',
			eventType: 'account-created',
			verifiedWithKey: 1,
		});
	});
});

describe('envelope quirks from the contract', () => {
	it.each([
		['deal', 'signed', 'deal-signed'],
		['deal', 'active', 'deal-active'],
		['deal', 'draft', 'deal-updated'],
		['deal', undefined, 'deal-updated'],
		['account', 'deleted', 'account-deleted'],
		['account', 'pending', 'account-updated'],
		['account', undefined, 'account-updated'],
	])('infers a missing event.type from a %s with status %s as %s', async (object, status, type) => {
		const body = jsonBytes({
			event: { id: 'e-1' },
			[object]: { id: 'd-1', ...(status === undefined ? {} : { status }) },
		});
		expect(await emittedItem(deliver(postRequest(body)))).toMatchObject({
			eventType: type,
			eventTypeInferred: true,
			objectType: object,
		});
	});

	it.each([
		['Unix seconds as a number', 1715703605, '2024-05-14T16:20:05.000Z'],
		['Unix seconds as digits', '1715703605', '2024-05-14T16:20:05.000Z'],
		['milliseconds as a number', 1715703605123, '2024-05-14T16:20:05.123Z'],
		['milliseconds as digits', '1715703605123', '2024-05-14T16:20:05.123Z'],
		['zero', 0, '1970-01-01T00:00:00.000Z'],
		['null', null, null],
		['an empty string', '', null],
	])('reads event.time given as %s', async (_label, time, iso) => {
		const body = jsonBytes({
			event: { id: 'e-1', type: 'deal-updated', time },
			deal: { id: 'd-1' },
		});
		const item = await emittedItem(deliver(postRequest(body)));
		expect([item.eventTime, item.warnings]).toEqual([iso, []]);
	});

	it('accepts an envelope with no event block and emits event: {}', async () => {
		const body = jsonBytes({ deal: { id: 'd-1', status: 'signed' } });
		expect(await emittedItem(deliver(postRequest(body)))).toMatchObject({
			event: {},
			eventId: null,
			eventTime: null,
			eventType: 'deal-signed',
			eventTypeInferred: true,
			dedupeKey: `deal-signed:sha256:${sha256(body)}`,
		});
	});

	it('passes unknown fields through untouched at every level', async () => {
		const envelope = {
			event: { id: 'e-1', type: 'deal-signed', source: 'api', nested: { a: [1, { b: null }] } },
			deal: {
				id: 'd-1',
				status: 'signed',
				custom_field: { x: 1 },
				skus: [{ id: 's', extra: true }],
			},
			delivered_by: 'revops',
		};
		const item = await emittedItem(deliver(postRequest(jsonBytes(envelope))));
		expect(item.event).toEqual(envelope.event);
		expect(item.deal).toEqual(envelope.deal);
	});

	it('treats a feature flag without "enabled" as disabled', async () => {
		const body = jsonBytes({
			event: { type: 'deal-signed', id: 'e' },
			deal: {
				feature_flags: [{ name: 'a', enabled: true }, { name: 'b' }, { name: 'c', enabled: false }],
			},
		});
		expect((await emittedItem(deliver(postRequest(body)))).enabledFeatureFlags).toEqual(['a']);
	});

	it('gives a term without a value null', async () => {
		const body = jsonBytes({
			event: { type: 'deal-signed', id: 'e' },
			deal: { terms: [{ friendly_name: 'PO' }] },
		});
		expect((await emittedItem(deliver(postRequest(body)))).terms).toEqual({ PO: null });
	});

	it('uses the object that event.type names when both are present', async () => {
		const body = jsonBytes({
			event: { type: 'account-updated', id: 'e' },
			deal: { id: 'd' },
			account: { account_id: 'a' },
		});
		expect(await emittedItem(deliver(postRequest(body)))).toMatchObject({
			objectType: 'account',
			accountId: 'a',
		});
	});
});

describe('GET deliveries', () => {
	const dealSigned = fixtureBytes('deal-signed').toString('utf8');

	it.each(['payload', 'body', 'data'])(
		'reads the envelope from the "%s" query parameter',
		async (name) => {
			expect(await emittedItem(deliver(getRequest({ [name]: dealSigned }, `${name}=...`)))).toEqual(
				expectedItem('deal-signed', false),
			);
		},
	);

	it('verifies a signed GET over the payload parameter', async () => {
		const request = getRequest({ payload: dealSigned }, 'payload=...', undefined, {
			signature: SIGNATURE_VECTORS['deal-signed.json'],
		});
		expect(await emittedItem(deliver(request, SIGNED_ALL, TEST_KEY))).toEqual(
			expectedItem('deal-signed', true),
		);
	});

	it('prefers a non-empty body over the query', async () => {
		const item = await emittedItem(
			deliver(
				getRequest({ payload: 'ignored' }, 'payload=ignored', fixtureBytes('account-created')),
			),
		);
		expect(item.eventType).toBe('account-created');
	});

	it('reads bracketed query keys as the envelope, with every value a string', async () => {
		const queryString =
			'event[id]=e-9&event[type]=deal-signed&event[time]=1715703605&deal[id]=d-9&deal[status]=signed' +
			'&deal[net_price]=44400.00&deal[net_price_currency]=USD&deal[net_price_precision]=2' +
			'&deal[feature_flags][0][name]=sso&deal[feature_flags][0][enabled]=true&deal[feature_flags][1][name]=x&deal[feature_flags][1][enabled]=false';
		const query = {
			event: { id: 'e-9', type: 'deal-signed', time: '1715703605' },
			deal: {
				id: 'd-9',
				status: 'signed',
				net_price: '44400.00',
				net_price_currency: 'USD',
				net_price_precision: '2',
				feature_flags: [
					{ name: 'sso', enabled: 'true' },
					{ name: 'x', enabled: 'false' },
				],
			},
		};
		expect(await emittedItem(deliver(getRequest(query, queryString)))).toMatchObject({
			eventType: 'deal-signed',
			eventId: 'e-9',
			eventTime: '2024-05-14T16:20:05.000Z',
			dealId: 'd-9',
			netPrice: { amount: '44400.00', currency: 'USD', minorUnitDigits: 2, minorUnits: 4440000 },
			enabledFeatureFlags: ['sso'],
			dedupeKey: 'deal-signed:id:e-9',
			warnings: [],
		});
	});

	it('reads a list that n8n turned into an object keyed by index (more than 20 entries)', async () => {
		const flags = Object.fromEntries(
			Array.from({ length: 25 }, (_, i) => [String(i), { name: `f${i}`, enabled: 'true' }]),
		);
		const query = { event: { type: 'deal-signed', id: 'e' }, deal: { feature_flags: flags } };
		const item = await emittedItem(deliver(getRequest(query, 'event[type]=deal-signed')));
		expect(item.enabledFeatureFlags).toEqual(Array.from({ length: 25 }, (_, i) => `f${i}`));
	});

	it('answers 400 to a GET with nothing in it', async () => {
		expect(await deliver(getRequest({}, ''))).toEqual({
			kind: 'reject',
			status: 400,
			message:
				'The GET request carries no event: send the JSON envelope as the body or in a "payload" query parameter',
		});
	});
});

describe('sender checks', () => {
	const body = fixtureBytes('deal-signed');
	const signedAt = Date.parse('2024-05-14T16:20:05.000Z');
	const allowlist = { ...UNSIGNED_ALL, ipAllowlist: '203.0.113.0/24, 2001:db8::/32' };

	it('answers 403 to an address outside the allowlist, before reading anything or loading the key', async () => {
		let loads = 0;
		const outcome = await handleDelivery(
			postRequest(Buffer.from('not even json'), { clientIp: '198.51.100.4' }),
			asNodeParameters({ ...allowlist, authentication: 'verificationKey' }),
			async () => {
				loads += 1;
				return [{ position: 1, key: TEST_KEY }];
			},
		);
		expect(outcome).toEqual({
			kind: 'reject',
			status: 403,
			message: "This address is not in the trigger's IP allowlist",
		});
		expect(loads).toBe(0);
	});

	it.each(['203.0.113.9', '::ffff:203.0.113.9', '2001:db8::7'])('lets %s in', async (clientIp) => {
		expect((await deliver(postRequest(body, { clientIp }), allowlist)).kind).toBe('emit');
	});

	it.each([' ', ', ,', ','])(
		'allows any address when the allowlist lists no address (%p), as activation does',
		async (ipAllowlist) => {
			expect(
				(
					await deliver(postRequest(body, { clientIp: '198.51.100.4' }), {
						...UNSIGNED_ALL,
						ipAllowlist,
					})
				).kind,
			).toBe('emit');
		},
	);

	it('refuses every delivery with 409 when an entry is invalid, naming the entry only in the log', async () => {
		const outcome = await deliver(postRequest(body, { clientIp: '203.0.113.9' }), {
			...UNSIGNED_ALL,
			ipAllowlist: '203.0.113.0/24, office',
		});
		expect(outcome).toEqual({
			kind: 'reject',
			status: UNUSABLE_SETTING_STATUS,
			message:
				"The trigger's 'IP(s) Allowlist' setting is not usable, so it accepts no delivery until the setting is fixed",
			operatorWarning: expect.stringContaining(
				"RevOps Trigger: 'office' in 'IP(s) Allowlist' is not an IP address or range.",
			),
		});
	});

	it('matches a client address with an IPv6 zone', async () => {
		expect(
			(
				await deliver(postRequest(body, { clientIp: 'fe80::1%eth0' }), {
					...UNSIGNED_ALL,
					ipAllowlist: 'fe80::/10',
				})
			).kind,
		).toBe('emit');
	});

	it('refuses events older than the age limit, and accepts younger ones', async () => {
		const atAge = (minutes: number) =>
			deliver(postRequest(body, { receivedAt: signedAt + minutes * 60_000 }), {
				...UNSIGNED_ALL,
				maxEventAgeMinutes: 60,
			});
		expect((await atAge(59)).kind).toBe('emit');
		expect(await atAge(61)).toEqual({
			kind: 'reject',
			status: 403,
			message: 'The event is older than the 60 minutes this trigger accepts',
		});
	});

	it('refuses an old event before the item is built, so a replay costs no summary', async () => {
		const build = jest.spyOn(item, 'toItem');
		try {
			const old = postRequest(body, { receivedAt: signedAt + 600 * 60_000 });
			expect((await deliver(old, { ...UNSIGNED_ALL, maxEventAgeMinutes: 60 })).kind).toBe('reject');
			expect(build).not.toHaveBeenCalled();
		} finally {
			build.mockRestore();
		}
	});

	it('acknowledges an old event the user does not listen to instead of refusing it, so it is not retried', async () => {
		const old = postRequest(body, { receivedAt: signedAt + 600 * 60_000 });
		expect(
			await deliver(old, { ...UNSIGNED_ALL, events: ['account-created'], maxEventAgeMinutes: 60 }),
		).toEqual({
			kind: 'ignore',
			eventType: 'deal-signed',
			verifiedWithKey: null,
		});
	});

	it.each([
		['no time', { id: 'e', type: 'deal-signed' }],
		['a time it cannot read', { id: 'e', type: 'deal-signed', time: 'yesterday' }],
	])('refuses an event with %s when an age limit is set', async (_label, event) => {
		expect(
			await deliver(postRequest(jsonBytes({ event, deal: {} })), {
				...UNSIGNED_ALL,
				maxEventAgeMinutes: 60,
			}),
		).toEqual({
			kind: 'reject',
			status: 403,
			message: 'The event has no usable "event.time", so its age cannot be checked',
		});
	});
});

describe('checkAge', () => {
	const receivedAt = Date.parse('2024-05-14T17:20:05.000Z');
	const anHourBefore = '2024-05-14T16:20:05.000Z';

	it.each([0, undefined])('checks nothing with a limit of %p, not even a missing time', (limit) => {
		expect(() =>
			checkAge(null, { ...UNSIGNED_ALL, maxEventAgeMinutes: limit }, receivedAt),
		).not.toThrow();
	});

	it('accepts an event exactly as old as the limit and refuses one a minute older', async () => {
		expect(() =>
			checkAge(anHourBefore, { ...UNSIGNED_ALL, maxEventAgeMinutes: 60 }, receivedAt),
		).not.toThrow();
		expect(
			await refusal(() =>
				checkAge(anHourBefore, { ...UNSIGNED_ALL, maxEventAgeMinutes: 59 }, receivedAt),
			),
		).toEqual({
			status: 403,
			message: 'The event is older than the 59 minutes this trigger accepts',
		});
	});

	it('refuses an event without a usable time when a limit is set', async () => {
		expect(
			await refusal(() => checkAge(null, { ...UNSIGNED_ALL, maxEventAgeMinutes: 60 }, receivedAt)),
		).toEqual({
			status: 403,
			message: 'The event has no usable "event.time", so its age cannot be checked',
		});
	});
});
