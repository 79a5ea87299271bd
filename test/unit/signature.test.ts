import { timingSafeEqual } from 'crypto';

import { signDelivery, verifyingKeyPosition } from '../../nodes/RevOpsTrigger/signature';
import {
	VERIFICATION_KEY_FIELDS,
	verificationKeys,
} from '../../nodes/RevOpsTrigger/verification-keys';
import { fixtureBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';

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
