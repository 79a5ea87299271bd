import { createHmac, timingSafeEqual } from 'crypto';

import type { VerificationKey } from './verification-keys';

export const SIGNATURE_HEADER = 'x-revops-content-hmac';

/** Lowercase hex HMAC-SHA256 of the exact bytes, keyed with the Verification Key (UTF-8). */
export function signDelivery(verificationKey: string, bytes: Buffer): string {
	return createHmac('sha256', verificationKey).update(bytes).digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The position of the key whose signature `header` carries for `bytes`, or null when none
 * does. Accepts upper- or lowercase hex and a `sha256=` prefix; compares each key's signature
 * in constant time.
 */
export function verifyingKeyPosition(
	keys: readonly VerificationKey[],
	bytes: Buffer,
	header: string | string[] | undefined,
): number | null {
	if (typeof header !== 'string') return null;
	const received = header
		.trim()
		.toLowerCase()
		.replace(/^sha256=/, '');
	if (!HEX_SHA256.test(received)) return null;
	const actual = Buffer.from(received, 'hex');
	const match = keys.find(({ key }) =>
		timingSafeEqual(actual, Buffer.from(signDelivery(key, bytes), 'hex')),
	);
	return match?.position ?? null;
}
