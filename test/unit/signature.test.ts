import { isValidSignature, signDelivery } from '../../nodes/RevOpsTrigger/signature';
import { fixtureBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';

describe('signature', () => {
	it.each(Object.entries(SIGNATURE_VECTORS))('signs %s as the contract says', (file, expected) => {
		expect(signDelivery(TEST_KEY, fixtureBytes(file))).toBe(expected);
		expect(isValidSignature(TEST_KEY, fixtureBytes(file), expected)).toBe(true);
	});

	const body = fixtureBytes('deal-signed.json');
	const good = SIGNATURE_VECTORS['deal-signed.json'];

	it.each([
		['upper-case hex', good.toUpperCase()],
		['a sha256= prefix', `sha256=${good}`],
		['surrounding spaces', ` ${good} `],
	])('accepts %s', (_label, header) => {
		expect(isValidSignature(TEST_KEY, body, header)).toBe(true);
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
		expect(isValidSignature(TEST_KEY, body, header)).toBe(false);
	});

	it('refuses a body with one byte changed', () => {
		const changed = Buffer.from(body);
		changed[10] ^= 1;
		expect(isValidSignature(TEST_KEY, changed, good)).toBe(false);
	});

	it('hashes the exact bytes, not re-serialised JSON', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
		expect(isValidSignature(TEST_KEY, reserialised, good)).toBe(false);
	});
});
