import { createHmac } from 'node:crypto';

/** The header RevOps puts the signature in. */
export const SIGNATURE_HEADER = 'X-RevOps-Content-Hmac';

/**
 * What RevOps puts in X-RevOps-Content-Hmac: lowercase hex HMAC-SHA256 of the exact bytes
 * sent, keyed with the Verification Key as UTF-8. No prefix, no timestamp.
 */
export function signBody(key: string, bytes: Buffer): string {
	return createHmac('sha256', Buffer.from(key, 'utf8')).update(bytes).digest('hex');
}
