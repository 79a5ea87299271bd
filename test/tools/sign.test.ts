import { createHmac } from 'node:crypto';

import { SIGNATURE_HEADER, signBody } from '../../tools/revops/sign';
import { fixtureBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';

describe('signBody', () => {
	it.each(Object.entries(SIGNATURE_VECTORS))(
		'signs %s with the contract test vector',
		(name, expected) => {
			expect(signBody(TEST_KEY, fixtureBytes(name))).toBe(expected);
		},
	);

	it('keys the HMAC with the UTF-8 bytes of the key', () => {
		const key = 'clé-ключ-鍵';
		const body = Buffer.from('{"event":{}}');
		expect(signBody(key, body)).toBe(
			createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest('hex'),
		);
	});

	it('hashes the bytes as given: one changed byte gives another signature', () => {
		const body = fixtureBytes('deal-signed');
		const changed = Buffer.from(body);
		changed[changed.length - 1] = 0x20; // the trailing newline becomes a space
		expect(signBody(TEST_KEY, changed)).not.toBe(SIGNATURE_VECTORS['deal-signed.json']);
		expect(signBody(TEST_KEY, changed)).toBe(
			createHmac('sha256', TEST_KEY).update(changed).digest('hex'),
		);
	});

	it('names the header as the contract does', () => {
		expect(SIGNATURE_HEADER).toBe('X-RevOps-Content-Hmac');
	});
});
