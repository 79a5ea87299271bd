import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import type { TriggerSettings } from '../../nodes/RevOpsTrigger/settings';
import {
	checkAge,
	DeliveryRejection,
	readDelivery,
	readEnvelope,
	SIGNATURE_MISMATCH,
	verifyDelivery,
	type DeliveryRequest,
} from '../../nodes/RevOpsTrigger/reader';
import { signDelivery } from '../../nodes/RevOpsTrigger/signature';
import { fixtureBytes, TEST_KEY } from '../support/fixtures';
import { getRequest, postRequest, UNSIGNED_ALL } from '../support/requests';

const SIGNED_ALL: TriggerSettings = { events: ['*'], authentication: 'verificationKey' };

/** A key loader that counts its calls: the reader must not load keys for requests it can refuse without them. */
function countingKeys() {
	const loader = {
		loads: 0,
		async load() {
			loader.loads += 1;
			return [{ position: 1, key: TEST_KEY }];
		},
	};
	return loader;
}

/** The refusal `run` throws (or rejects with), as status and message. */
async function refusal(run: () => unknown): Promise<{ status: number; message: string }> {
	try {
		await run();
	} catch (error) {
		if (error instanceof DeliveryRejection) return { status: error.status, message: error.message };
		throw error;
	}
	throw new Error('expected a refusal, got none');
}

describe('verifyDelivery', () => {
	const body = fixtureBytes('deal-signed');
	const signed = (overrides: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
		...postRequest(body, { signature: signDelivery(TEST_KEY, body) }),
		...overrides,
	});

	it('returns the body as the carrier and the position of the key that signed it', async () => {
		const keys = countingKeys();
		expect(await verifyDelivery(signed(), SIGNED_ALL, keys.load)).toEqual({
			carrier: { kind: 'json', bytes: body },
			verifiedWithKey: 1,
		});
		expect(keys.loads).toBe(1);
	});

	it('checks the sender first: a multipart request from outside the allowlist gets 403, not 415', async () => {
		const keys = countingKeys();
		const request = signed({ contentType: 'multipart/form-data', clientIp: '192.0.2.1' });
		const settings = { ...SIGNED_ALL, ipAllowlist: '203.0.113.0/24' };
		expect(await refusal(() => verifyDelivery(request, settings, keys.load))).toEqual({
			status: 403,
			message: "This address is not in the trigger's IP allowlist",
		});
		expect(keys.loads).toBe(0);
	});

	it.each<[string, Partial<DeliveryRequest>, number, string]>([
		[
			'a multipart body',
			{ contentType: 'multipart/form-data' },
			415,
			'RevOps sends events as application/json; multipart bodies are not accepted',
		],
		[
			'a body over the size limit',
			{ rawBody: undefined, unreadableBody: 413 },
			413,
			'The body is larger than this n8n accepts (N8N_PAYLOAD_SIZE_MAX)',
		],
		[
			'an aborted body',
			{ rawBody: undefined, unreadableBody: 400 },
			400,
			'The body could not be read: the request was aborted or its encoding is broken',
		],
		[
			'an empty body',
			{ rawBody: Buffer.alloc(0) },
			400,
			'The request body is empty: RevOps sends the event as a JSON body',
		],
	])('refuses %s before loading the credential', async (_label, overrides, status, message) => {
		const keys = countingKeys();
		expect(await refusal(() => verifyDelivery(signed(overrides), SIGNED_ALL, keys.load))).toEqual({
			status,
			message,
		});
		expect(keys.loads).toBe(0);
	});

	it('refuses a signed bracketed query before loading the credential', async () => {
		const keys = countingKeys();
		const request = getRequest({ event: { type: 'deal-signed' } }, 'event[type]=deal-signed');
		expect(await refusal(() => verifyDelivery(request, SIGNED_ALL, keys.load))).toEqual({
			status: 401,
			message:
				'A signed GET must carry the JSON envelope in a "payload" query parameter; bracketed query keys are accepted only with Authentication set to None',
		});
		expect(keys.loads).toBe(0);
	});

	it('loads the credential once to refuse a wrong signature', async () => {
		const keys = countingKeys();
		expect(
			await refusal(() =>
				verifyDelivery(signed({ signature: 'ab'.repeat(32) }), SIGNED_ALL, keys.load),
			),
		).toEqual({ status: 401, message: SIGNATURE_MISMATCH });
		expect(keys.loads).toBe(1);
	});

	it('verifies the bytes without parsing them: a signed body that is not JSON passes', async () => {
		const garbage = Buffer.from('{not json');
		const request = postRequest(garbage, { signature: signDelivery(TEST_KEY, garbage) });
		expect((await verifyDelivery(request, SIGNED_ALL, countingKeys().load)).verifiedWithKey).toBe(
			1,
		);
	});

	it('loads no key when Authentication is None', async () => {
		const keys = countingKeys();
		expect(await verifyDelivery(postRequest(body), UNSIGNED_ALL, keys.load)).toEqual({
			carrier: { kind: 'json', bytes: body },
			verifiedWithKey: null,
		});
		expect(keys.loads).toBe(0);
	});
});

describe('readDelivery', () => {
	it('reads a bracketed query as it was parsed, without decoding the query string', () => {
		const envelope = readDelivery({
			kind: 'query',
			bytes: Buffer.from([0xff]),
			envelope: { event: { type: 'account-created', time: '1715703605' }, account: {} },
		});
		expect([envelope.eventType, envelope.eventTime]).toEqual([
			'account-created',
			'2024-05-14T16:20:05.000Z',
		]);
	});

	it('decodes a body as UTF-8 JSON before reading the envelope', async () => {
		expect(
			await refusal(() => readDelivery({ kind: 'json', bytes: Buffer.from([0x7b, 0xff, 0x7d]) })),
		).toEqual({ status: 400, message: 'The body is not valid UTF-8' });
		expect(readDelivery({ kind: 'json', bytes: fixtureBytes('deal-signed') }).eventType).toBe(
			'deal-signed',
		);
	});
});

describe('readEnvelope', () => {
	it.each([
		['Unix seconds', 1715703605, '2024-05-14T16:20:05.000Z'],
		['Unix milliseconds as text', '1715703605123', '2024-05-14T16:20:05.123Z'],
		['no time', undefined, null],
		['a time it cannot read', 'yesterday', null],
	])('decides the event time from %s, without refusing', (_label, time, eventTime) => {
		expect(readEnvelope({ event: { type: 'deal-signed', time }, deal: {} }).eventTime).toBe(
			eventTime,
		);
	});

	it('refuses an event block of the wrong kind', async () => {
		expect(await refusal(() => readEnvelope({ event: 7, deal: {} }))).toEqual({
			status: 400,
			message: '"event" must be an object, or an event type such as "deal-signed"',
		});
	});

	it('names the event from the given type, or infers it from the status', () => {
		expect(readEnvelope({ event: 'deal-created', deal: { status: 'signed' } })).toMatchObject({
			eventType: 'deal-created',
			eventTypeInferred: false,
		});
		expect(readEnvelope({ event: {}, deal: { status: 'signed' } })).toMatchObject({
			eventType: 'deal-signed',
			eventTypeInferred: true,
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

describe('the reader is the one place that refuses', () => {
	const NODE_DIR = join(__dirname, '../../nodes/RevOpsTrigger');

	it.each(readdirSync(NODE_DIR).filter((file) => file.endsWith('.ts') && file !== 'reader.ts'))(
		'%s throws no refusal',
		(file) => {
			const source = readFileSync(join(NODE_DIR, file), 'utf8');
			expect(source).not.toMatch(/new DeliveryRejection\b|rejectInput\s*\(/);
		},
	);
});
