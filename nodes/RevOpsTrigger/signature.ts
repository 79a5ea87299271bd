import { createHmac, timingSafeEqual } from 'crypto';

export const SIGNATURE_HEADER = 'x-revops-content-hmac';

/** Lowercase hex HMAC-SHA256 of the exact bytes, keyed with the Verification Key (UTF-8). */
export function signDelivery(verificationKey: string, bytes: Buffer): string {
	return createHmac('sha256', verificationKey).update(bytes).digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Whether `header` carries the signature RevOps makes for `bytes`. Accepts upper- or
 * lowercase hex and a `sha256=` prefix; compares in constant time.
 */
export function isValidSignature(
	verificationKey: string,
	bytes: Buffer,
	header: string | string[] | undefined,
): boolean {
	if (typeof header !== 'string') return false;
	const received = header.trim().toLowerCase().replace(/^sha256=/, '');
	if (!HEX_SHA256.test(received)) return false;
	const expected = Buffer.from(signDelivery(verificationKey, bytes), 'hex');
	const actual = Buffer.from(received, 'hex');
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}
