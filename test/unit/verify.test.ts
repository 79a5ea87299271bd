import { timingSafeEqual } from 'crypto';

import { parseIpAllowlist } from '../../nodes/RevOpsTrigger/ip-allowlist';
import type { TriggerSettings } from '../../nodes/RevOpsTrigger/settings';
import {
	SIGNATURE_MISMATCH,
	signDelivery,
	VERIFICATION_KEY_FIELDS,
	verificationKeys,
	verifyDelivery,
	verifyingKeyPosition,
	type DeliveryRequest,
} from '../../nodes/RevOpsTrigger/verify';
import { fixtureBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';
import { refusal } from '../support/refusal';
import { getRequest, postRequest, UNSIGNED_ALL } from '../support/requests';

// Counts the constant-time comparisons the module makes, through the real implementation.
jest.mock('crypto', () => {
	const actual = jest.requireActual<typeof import('crypto')>('crypto');
	return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const only = (key: string) => [{ position: 1, key }];

describe('signature', () => {
	it.each(Object.entries(SIGNATURE_VECTORS))('signs %s as RevOps does', (file, expected) => {
		expect(signDelivery(TEST_KEY, fixtureBytes(file))).toBe(expected);
		expect(verifyingKeyPosition(only(TEST_KEY), fixtureBytes(file), expected)).toBe(1);
	});

	const body = fixtureBytes('deal-signed.json');
	const good = SIGNATURE_VECTORS['deal-signed.json'];

	it.each([
		['upper-case hex', good.toUpperCase()],
		['a sha256= prefix', `sha256=${good}`],
		['surrounding spaces', ` ${good} `],
	])('accepts %s', (_label, header) => {
		expect(verifyingKeyPosition(only(TEST_KEY), body, header)).toBe(1);
	});

	it.each([
		['a missing header', undefined],
		['an empty header', ''],
		['a repeated header', [good, good]],
		['another key', signDelivery('another-key', body)],
		['a truncated signature', good.slice(0, 63)],
		['a longer signature', `${good}00`],
		['non-hex characters', `${good.slice(0, 63)}g`],
		['the signature of another body', SIGNATURE_VECTORS['account-created.json']],
	])('refuses %s', (_label, header) => {
		expect(verifyingKeyPosition(only(TEST_KEY), body, header)).toBeNull();
	});

	it('refuses a body with one byte changed', () => {
		const changed = Buffer.from(body);
		changed[10] ^= 1;
		expect(verifyingKeyPosition(only(TEST_KEY), changed, good)).toBeNull();
	});

	it('hashes the exact bytes, not re-serialised JSON', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
		expect(verifyingKeyPosition(only(TEST_KEY), reserialised, good)).toBeNull();
	});
});

describe('several Verification Keys', () => {
	const body = fixtureBytes('deal-signed.json');
	const keys = ['key-one', 'key-two', 'key-three', 'key-four', 'key-five'];
	const full = verificationKeys(
		Object.fromEntries(VERIFICATION_KEY_FIELDS.map((field, index) => [field, keys[index]])),
	);

	it.each(keys.map((key, index) => [index + 1, key]))(
		'verifies a delivery signed with key %i and says which',
		(position, key) => {
			expect(verifyingKeyPosition(full, body, signDelivery(key as string, body))).toBe(position);
		},
	);

	it('refuses a signature made with none of the keys', () => {
		expect(verifyingKeyPosition(full, body, signDelivery('key-six', body))).toBeNull();
	});

	it("keeps each key's position in the credential when earlier fields are empty", () => {
		const sparse = verificationKeys({
			verificationSecret: '',
			verificationSecret3: 'key-three',
			verificationSecret5: 'key-five',
		});
		expect(sparse).toEqual([
			{ position: 3, key: 'key-three' },
			{ position: 5, key: 'key-five' },
		]);
		expect(verifyingKeyPosition(sparse, body, signDelivery('key-five', body))).toBe(5);
	});

	it('ignores empty and non-text fields, and reads at most the five fields it knows', () => {
		expect(
			verificationKeys({
				verificationSecret: '',
				verificationSecret2: 7,
				verificationSecret3: null,
			}),
		).toEqual([]);
		expect(
			verificationKeys({
				...Object.fromEntries(VERIFICATION_KEY_FIELDS.map((field) => [field, 'k'])),
				verificationSecret6: 'k6',
			} as never),
		).toHaveLength(5);
	});

	it('compares the signature of every key it tries in constant time', () => {
		const compare = jest.mocked(timingSafeEqual);
		compare.mockClear();
		verifyingKeyPosition(full, body, signDelivery('key-six', body));
		expect(compare).toHaveBeenCalledTimes(keys.length);
	});
});

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
		const settings = { ...SIGNED_ALL, ipAllowlist: parseIpAllowlist('203.0.113.0/24') };
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
