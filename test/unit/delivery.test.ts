import { createHash } from 'crypto';

import { handleDelivery, type DeliverySettings } from '../../nodes/RevOpsTrigger/delivery';
import { REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { signDelivery } from '../../nodes/RevOpsTrigger/signature';
import { EXPECTED_ITEMS } from '../support/expected-items';
import { fixtureBytes, fixtureJson, jsonBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';
import { getRequest, postRequest } from '../support/requests';

const everything: DeliverySettings = { events: ['*'], verificationKey: undefined, signature: undefined };

function emitted(outcome: ReturnType<typeof handleDelivery>) {
	if (outcome.kind !== 'emit') throw new Error(`expected an item, got ${JSON.stringify(outcome)}`);
	return outcome.item as unknown as Record<string, unknown>;
}

describe('every fixture', () => {
	it.each(Object.keys(EXPECTED_ITEMS))('%s becomes the documented item', (name) => {
		const body = fixtureBytes(name);
		const item = emitted(handleDelivery(postRequest(body), everything));
		expect(item).toMatchObject(EXPECTED_ITEMS[name]);
		expect(item.signatureVerified).toBe(false);
		const json = fixtureJson(name);
		const envelope = (json.body ?? json) as Record<string, unknown>;
		expect(item.event).toEqual(envelope.event);
		expect(item[item.objectType as string]).toEqual(envelope[item.objectType as string]);
	});

	it.each(Object.keys(SIGNATURE_VECTORS))('%s passes with its contract signature', (file) => {
		const item = emitted(
			handleDelivery(postRequest(fixtureBytes(file)), {
				events: ['*'],
				verificationKey: TEST_KEY,
				signature: SIGNATURE_VECTORS[file],
			}),
		);
		expect(item.signatureVerified).toBe(true);
	});
});

describe('the signature check', () => {
	const body = fixtureBytes('deal-signed');
	const withKey = (signature: string | undefined): DeliverySettings => ({
		events: ['*'],
		verificationKey: TEST_KEY,
		signature,
	});

	it.each([
		['missing', undefined],
		['wrong', signDelivery('not-the-key', body)],
	])('answers 401 to a %s signature', (_label, signature) => {
		expect(handleDelivery(postRequest(body), withKey(signature))).toEqual({
			kind: 'reject',
			status: 401,
			message: 'The X-RevOps-Content-Hmac signature is missing or does not match the Verification Key',
		});
	});

	it('runs before the body is parsed, so forged garbage gets 401 rather than 400', () => {
		expect(handleDelivery(postRequest(Buffer.from('{not json')), withKey(undefined))).toMatchObject({
			kind: 'reject',
			status: 401,
		});
	});

	it('refuses an unsigned GET when a key is set', () => {
		const payload = fixtureBytes('deal-signed').toString('utf8');
		expect(handleDelivery(getRequest({ payload }, 'payload=x'), withKey(undefined))).toMatchObject({
			kind: 'reject',
			status: 401,
		});
	});

	it('never puts the key in an answer', () => {
		const outcome = handleDelivery(postRequest(body), withKey('0'.repeat(64)));
		expect(JSON.stringify(outcome)).not.toContain(TEST_KEY);
	});
});

describe('the event filter', () => {
	it.each(REVOPS_EVENTS.map((event) => event.type))('emits %s only when it is selected', (type) => {
		const body = fixtureBytes(type);
		const others = REVOPS_EVENTS.map((event) => event.type).filter((other) => other !== type);
		expect(handleDelivery(postRequest(body), { ...everything, events: [type] }).kind).toBe('emit');
		expect(handleDelivery(postRequest(body), { ...everything, events: others })).toEqual({
			kind: 'ignore',
			eventType: type,
		});
	});

	it('filters on the inferred type when event.type is missing', () => {
		const body = fixtureBytes('deal-signed-jpy-body-wrapped');
		expect(handleDelivery(postRequest(body), { ...everything, events: ['deal-signed'] }).kind).toBe('emit');
		expect(handleDelivery(postRequest(body), { ...everything, events: ['deal-updated'] }).kind).toBe('ignore');
	});

	it('passes an unknown event type through only when listening to all events', () => {
		const body = jsonBytes({ event: { id: 'e-1', type: 'deal-archived' }, deal: { id: 'd-1' } });
		expect(emitted(handleDelivery(postRequest(body), everything))).toMatchObject({
			eventType: 'deal-archived',
			objectType: 'deal',
			eventTypeInferred: false,
		});
		expect(handleDelivery(postRequest(body), { ...everything, events: REVOPS_EVENTS.map((e) => e.type) })).toEqual({
			kind: 'ignore',
			eventType: 'deal-archived',
		});
	});

	it('starts nothing when no event is selected', () => {
		expect(handleDelivery(postRequest(fixtureBytes('deal-signed')), { ...everything, events: [] }).kind).toBe('ignore');
	});
});

describe('envelope quirks from the contract', () => {
	const deal = (status: string | undefined) => ({ id: 'd-1', ...(status === undefined ? {} : { status }) });

	it.each([
		['deal', 'signed', 'deal-signed'],
		['deal', 'active', 'deal-active'],
		['deal', 'draft', 'deal-updated'],
		['deal', undefined, 'deal-updated'],
		['account', 'deleted', 'account-deleted'],
		['account', 'pending', 'account-updated'],
		['account', undefined, 'account-updated'],
	])('infers a missing event.type from a %s with status %s as %s', (object, status, type) => {
		const body = jsonBytes({ event: { id: 'e-1' }, [object]: deal(status) });
		expect(emitted(handleDelivery(postRequest(body), everything))).toMatchObject({
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
	])('reads event.time given as %s', (_label, time, iso) => {
		const body = jsonBytes({ event: { id: 'e-1', type: 'deal-updated', time }, deal: { id: 'd-1' } });
		expect(emitted(handleDelivery(postRequest(body), everything)).eventTime).toBe(iso);
	});

	it('accepts an envelope with no event block and emits event: {}', () => {
		const body = jsonBytes({ deal: { id: 'd-1', status: 'signed' } });
		const item = emitted(handleDelivery(postRequest(body), everything));
		expect(item).toMatchObject({ event: {}, eventId: null, eventTime: null, eventType: 'deal-signed', eventTypeInferred: true });
		expect(item.dedupeKey).toBe(`deal-signed:sha256:${createHash('sha256').update(body).digest('hex')}`);
	});

	it('passes unknown fields through untouched at every level', () => {
		const envelope = {
			event: { id: 'e-1', type: 'deal-signed', source: 'api', nested: { a: [1, { b: null }] } },
			deal: { id: 'd-1', status: 'signed', custom_field: { x: 1 }, skus: [{ id: 's', extra: true }] },
			delivered_by: 'revops',
		};
		const item = emitted(handleDelivery(postRequest(jsonBytes(envelope)), everything));
		expect(item.event).toEqual(envelope.event);
		expect(item.deal).toEqual(envelope.deal);
	});

	it('treats a feature flag without "enabled" as disabled', () => {
		const body = jsonBytes({
			event: { type: 'deal-signed', id: 'e' },
			deal: { feature_flags: [{ name: 'a', enabled: true }, { name: 'b' }, { name: 'c', enabled: false }] },
		});
		expect(emitted(handleDelivery(postRequest(body), everything)).enabledFeatureFlags).toEqual(['a']);
	});

	it('gives a term without a value null', () => {
		const body = jsonBytes({ event: { type: 'deal-signed', id: 'e' }, deal: { terms: [{ friendly_name: 'PO' }] } });
		expect(emitted(handleDelivery(postRequest(body), everything)).terms).toEqual({ PO: null });
	});

	it('uses the object that event.type names when both are present', () => {
		const body = jsonBytes({ event: { type: 'account-updated', id: 'e' }, deal: { id: 'd' }, account: { account_id: 'a' } });
		expect(emitted(handleDelivery(postRequest(body), everything))).toMatchObject({ objectType: 'account', accountId: 'a' });
	});
});

describe('de-duplication keys', () => {
	it('is the same for identical bodies (retries) and differs between events', () => {
		const bodies = ['deal-created', 'deal-updated', 'deal-signed', 'deal-active', 'account-created', 'account-updated', 'account-deleted'];
		const keys = bodies.map((name) => emitted(handleDelivery(postRequest(fixtureBytes(name)), everything)).dedupeKey);
		expect(new Set(keys).size).toBe(bodies.length);
		const again = bodies.map((name) => emitted(handleDelivery(postRequest(fixtureBytes(name)), everything)).dedupeKey);
		expect(again).toEqual(keys);
	});

	it('keeps events that share an id apart by their type', () => {
		const updated = jsonBytes({ event: { id: 'same', type: 'deal-updated' }, deal: { id: 'd' } });
		const signed = jsonBytes({ event: { id: 'same', type: 'deal-signed' }, deal: { id: 'd' } });
		expect(emitted(handleDelivery(postRequest(updated), everything)).dedupeKey).not.toBe(
			emitted(handleDelivery(postRequest(signed), everything)).dedupeKey,
		);
	});

	it('hashes the body when there is neither id nor hash', () => {
		const a = jsonBytes({ event: { type: 'deal-updated' }, deal: { id: 'd', status: 'draft' } });
		const b = jsonBytes({ event: { type: 'deal-updated' }, deal: { id: 'd', status: 'approved' } });
		const keyA = emitted(handleDelivery(postRequest(a), everything)).dedupeKey;
		expect(keyA).toBe(`deal-updated:sha256:${createHash('sha256').update(a).digest('hex')}`);
		expect(emitted(handleDelivery(postRequest(b), everything)).dedupeKey).not.toBe(keyA);
	});
});

describe('GET deliveries', () => {
	const dealSigned = fixtureBytes('deal-signed').toString('utf8');

	it.each(['payload', 'body', 'data'])('reads the envelope from the "%s" query parameter', (name) => {
		const item = emitted(handleDelivery(getRequest({ [name]: dealSigned }, `${name}=...`), everything));
		expect(item).toMatchObject(EXPECTED_ITEMS['deal-signed']);
	});

	it('verifies a signed GET over the payload parameter', () => {
		const signature = SIGNATURE_VECTORS['deal-signed.json'];
		const outcome = handleDelivery(getRequest({ payload: dealSigned }, 'payload=...'), {
			events: ['*'],
			verificationKey: TEST_KEY,
			signature,
		});
		expect(emitted(outcome)).toMatchObject({ signatureVerified: true, eventType: 'deal-signed' });
	});

	it('prefers a non-empty body over the query', () => {
		const item = emitted(handleDelivery(getRequest({ payload: 'ignored' }, 'payload=ignored', fixtureBytes('account-created')), everything));
		expect(item.eventType).toBe('account-created');
	});

	it('reads bracketed query keys as the envelope, with every value a string', () => {
		const queryString = 'event[id]=e-9&event[type]=deal-signed&event[time]=1715703605&deal[id]=d-9&deal[status]=signed'
			+ '&deal[net_price]=44400.00&deal[net_price_currency]=USD&deal[net_price_precision]=2'
			+ '&deal[feature_flags][0][name]=sso&deal[feature_flags][0][enabled]=true&deal[feature_flags][1][name]=x&deal[feature_flags][1][enabled]=false';
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
		const item = emitted(handleDelivery(getRequest(query, queryString), everything));
		expect(item).toMatchObject({
			eventType: 'deal-signed',
			eventId: 'e-9',
			eventTime: '2024-05-14T16:20:05.000Z',
			dealId: 'd-9',
			netPrice: { amount: '44400.00', currency: 'USD', precision: 2, minorUnits: 4440000 },
			enabledFeatureFlags: ['sso'],
			dedupeKey: 'deal-signed:id:e-9',
		});
	});

	it('reads a list that n8n turned into an object keyed by index (more than 20 entries)', () => {
		const flags = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [String(i), { name: `f${i}`, enabled: 'true' }]));
		const query = { event: { type: 'deal-signed', id: 'e' }, deal: { feature_flags: flags } };
		const item = emitted(handleDelivery(getRequest(query, 'event[type]=deal-signed'), everything));
		expect(item.enabledFeatureFlags).toEqual(Array.from({ length: 25 }, (_, i) => `f${i}`));
	});

	it('signs a bracketed-query GET over the raw query string', () => {
		const queryString = 'event[id]=e-1&event[type]=account-updated&account[account_id]=a-1';
		const query = { event: { id: 'e-1', type: 'account-updated' }, account: { account_id: 'a-1' } };
		const settings = (signature: string): DeliverySettings => ({ events: ['*'], verificationKey: TEST_KEY, signature });
		const good = signDelivery(TEST_KEY, Buffer.from(queryString));
		expect(handleDelivery(getRequest(query, queryString), settings(good)).kind).toBe('emit');
		const tampered = queryString.replace('a-1', 'a-2');
		expect(handleDelivery(getRequest(query, tampered), settings(good))).toMatchObject({ kind: 'reject', status: 401 });
	});

	it('answers 400 to a GET with nothing in it', () => {
		expect(handleDelivery(getRequest({}, ''), everything)).toEqual({
			kind: 'reject',
			status: 400,
			message: 'The GET request carries no event: send the JSON envelope as the body or in a "payload" query parameter',
		});
	});
});

describe('sender checks', () => {
	const body = fixtureBytes('deal-signed');
	const signedAt = Date.parse('2024-05-14T16:20:05.000Z');

	it('answers 403 to an address outside the allowlist, before reading anything', () => {
		const settings = { ...everything, ipAllowlist: '203.0.113.0/24, 2001:db8::/32', clientIp: '198.51.100.4' };
		expect(handleDelivery(postRequest(Buffer.from('not even json')), settings)).toEqual({
			kind: 'reject',
			status: 403,
			message: "This address is not in the trigger's IP allowlist",
		});
	});

	it.each(['203.0.113.9', '::ffff:203.0.113.9', '2001:db8::7'])('lets %s in', (clientIp) => {
		const settings = { ...everything, ipAllowlist: '203.0.113.0/24, 2001:db8::/32', clientIp };
		expect(handleDelivery(postRequest(body), settings).kind).toBe('emit');
	});

	it('allows any address when the allowlist is empty', () => {
		expect(handleDelivery(postRequest(body), { ...everything, ipAllowlist: ' ', clientIp: '198.51.100.4' }).kind).toBe('emit');
	});

	it('refuses events older than the age limit, and accepts younger ones', () => {
		const atAge = (minutes: number) =>
			handleDelivery(postRequest(body), { ...everything, maxEventAgeMinutes: 60, receivedAt: signedAt + minutes * 60_000 });
		expect(atAge(59).kind).toBe('emit');
		expect(atAge(61)).toEqual({ kind: 'reject', status: 403, message: 'The event is older than the 60 minutes this trigger accepts' });
	});

	it('refuses an event without a time when an age limit is set', () => {
		const untimed = jsonBytes({ event: { id: 'e', type: 'deal-signed' }, deal: {} });
		expect(handleDelivery(postRequest(untimed), { ...everything, maxEventAgeMinutes: 60 })).toEqual({
			kind: 'reject',
			status: 403,
			message: 'The event has no "event.time", so its age cannot be checked',
		});
	});
});
