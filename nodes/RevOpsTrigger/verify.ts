/**
 * The first step of a delivery: who sent it, which bytes carry it, and whether one of the
 * credential's Verification Keys signed those bytes, all before any of them is parsed. Each
 * check that fails throws a DeliveryRejection with the 4xx status and message the sender gets.
 * Also here: the keys a RevOps Webhook API credential holds, and RevOps' signature scheme.
 */
import { createHmac, timingSafeEqual } from 'crypto';

import { isIpAllowed } from './ip-allowlist';
import { AUTHENTICATION, type TriggerSettings } from './settings';

/**
 * A delivery the trigger refuses, with the 4xx status and message the sender gets. Thrown by the
 * checks here and in envelope.ts; delivery.ts turns it into the answer.
 */
export class DeliveryRejection extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 409 | 413 | 415,
		message: string,
		/** For n8n's log, when the cause is the node's own settings rather than the delivery. */
		readonly details: { operatorWarning?: string } = {},
	) {
		super(message);
		this.name = 'DeliveryRejection';
	}
}

export function rejectInput(message: string): never {
	throw new DeliveryRejection(400, message);
}

/**
 * The Verification Keys a RevOps Webhook API credential holds: the current key first, then the
 * previous key during a rotation or the keys of further RevOps webhooks that deliver to the same
 * workflow. Five is enough for a rotation across a few webhooks, and bounds the HMACs a forged
 * request costs. The names contain "secret" so n8n's lint sees them as secrets; the credential
 * file writes them out literally (a unit test keeps the two lists equal).
 */
export const VERIFICATION_KEY_FIELDS = [
	'verificationSecret',
	'verificationSecret2',
	'verificationSecret3',
	'verificationSecret4',
	'verificationSecret5',
] as const;

export type VerificationKeyCredential = Partial<
	Record<(typeof VERIFICATION_KEY_FIELDS)[number], unknown>
>;

/** A key the credential holds, with its position in the credential (1 = 'Verification Key'). */
export interface VerificationKey {
	position: number;
	key: string;
}

/** How the credential editor and every message name the key at `position`. */
export function keyLabel(position: number): string {
	return position === 1 ? 'Verification Key' : `Verification Key ${position}`;
}

/** The keys that are set, in order; empty fields are skipped, so an empty list means no key at all. */
export function verificationKeys(credential: VerificationKeyCredential): VerificationKey[] {
	return VERIFICATION_KEY_FIELDS.flatMap((field, index) => {
		const key = credential[field];
		return typeof key === 'string' && key !== '' ? [{ position: index + 1, key }] : [];
	});
}

/**
 * What the credential test tells the user: the first key that cannot be right (none at all,
 * surrounding spaces, a repeat), named by its label and never shown; or how many keys are set.
 */
export function checkCredentialKeys(credential: VerificationKeyCredential): {
	ok: boolean;
	message: string;
} {
	const keys = verificationKeys(credential);
	if (keys.length === 0)
		return { ok: false, message: "Enter the 'Verification Key' shown for the webhook in RevOps" };
	for (const [index, { position, key }] of keys.entries()) {
		if (key.trim() !== key) {
			return {
				ok: false,
				message: `'${keyLabel(position)}' starts or ends with a space: copy it again from RevOps`,
			};
		}
		const earlier = keys.slice(0, index).find((other) => other.key === key);
		if (earlier) {
			return {
				ok: false,
				message: `'${keyLabel(position)}' is the same as '${keyLabel(earlier.position)}': remove one of them`,
			};
		}
	}
	const count = keys.length === 1 ? 'The key is set' : `${keys.length} keys are set`;
	return {
		ok: true,
		message: `${count}. RevOps has no API to check keys: send a test event from RevOps to confirm.`,
	};
}

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

export interface DeliveryRequest {
	method: string;
	/** The media type without parameters, e.g. `application/json`; undefined when not sent. */
	contentType?: string;
	/** Exact body bytes; empty or missing when the request had no body. */
	rawBody: Buffer | undefined;
	/** Set when reading the body failed: 413 over n8n's size limit, 400 for a broken or aborted stream. */
	unreadableBody?: 400 | 413;
	/** The query as n8n parsed it (bracketed keys become nested objects). */
	query: Record<string, unknown>;
	/** The request URL as sent, including the query string. */
	url: string;
	/** The `X-RevOps-Content-Hmac` header as received. */
	signature: string | string[] | undefined;
	/** The sender's address as n8n reports it (after N8N_PROXY_HOPS). */
	clientIp: string | undefined;
	/** When the request arrived, in milliseconds since the epoch. */
	receivedAt: number;
}

/**
 * The bytes a delivery arrived in. POST (and a GET with a body) carry JSON in the body.
 * A bodiless GET carries the JSON envelope in a `payload`, `body` or `data` query parameter,
 * or spreads it over bracketed query keys; then the signed bytes are the raw query string.
 */
export type DeliveryCarrier =
	| { kind: 'json'; bytes: Buffer }
	| { kind: 'query'; bytes: Buffer; envelope: Record<string, unknown> };

/** Reads the credential's keys. Called only for requests that got as far as the signature check. */
export type LoadVerificationKeys = () => Promise<VerificationKey[]>;

/** A delivery whose sender and signature passed: the bytes it came in, and the key that signed them. */
export interface VerifiedDelivery {
	carrier: DeliveryCarrier;
	/** The position of the credential's key that verified; null when Authentication is None. */
	verifiedWithKey: number | null;
}

/** What n8n's log says, at publishing and on each refused delivery, when the credential holds no key. */
export const NO_KEY_WARNING =
	'RevOps Trigger: the RevOps Webhook API credential holds no Verification Key, so every delivery is refused with 401. Copy the key from RevOps > Settings > Webhooks into the credential.';

export const SIGNATURE_MISMATCH =
	"The X-RevOps-Content-Hmac signature is missing or does not match any of the trigger's Verification Keys";

function checkSender(settings: TriggerSettings, clientIp: string | undefined): void {
	if (settings.ipAllowlist && !isIpAllowed(settings.ipAllowlist, clientIp)) {
		throw new DeliveryRejection(403, "This address is not in the trigger's IP allowlist");
	}
}

const QUERY_ENVELOPE_PARAMETERS = ['payload', 'body', 'data'];

/** Which bytes carry the delivery; the refusal log asks it too, to name the type a refused delivery claims. */
export function findCarrier(request: DeliveryRequest): DeliveryCarrier {
	// n8n turns multipart bodies into form fields before the node runs, so no bytes are left to check.
	if (request.contentType?.startsWith('multipart/')) {
		throw new DeliveryRejection(
			415,
			'RevOps sends events as application/json; multipart bodies are not accepted',
		);
	}
	if (request.unreadableBody === 413)
		throw new DeliveryRejection(
			413,
			'The body is larger than this n8n accepts (N8N_PAYLOAD_SIZE_MAX)',
		);
	if (request.unreadableBody === 400)
		rejectInput('The body could not be read: the request was aborted or its encoding is broken');
	if (request.rawBody && request.rawBody.length > 0)
		return { kind: 'json', bytes: request.rawBody };
	if (request.method === 'GET') {
		for (const name of QUERY_ENVELOPE_PARAMETERS) {
			const value = request.query[name];
			if (typeof value === 'string' && value !== '')
				return { kind: 'json', bytes: Buffer.from(value, 'utf8') };
		}
		const queryStart = request.url.indexOf('?');
		if (queryStart >= 0 && Object.keys(request.query).length > 0) {
			return {
				kind: 'query',
				bytes: Buffer.from(request.url.slice(queryStart + 1), 'utf8'),
				envelope: request.query,
			};
		}
		return rejectInput(
			'The GET request carries no event: send the JSON envelope as the body or in a "payload" query parameter',
		);
	}
	return rejectInput('The request body is empty: RevOps sends the event as a JSON body');
}

/**
 * Returns the position of the key that verified. Fails closed: with any Authentication but
 * None, a credential without a key refuses every delivery. Only bytes that are then read as
 * JSON can be signed: a bracketed query string is a second grammar, in which a captured signed
 * body could be replayed as another event.
 */
async function checkSignature(
	carrier: DeliveryCarrier,
	signature: DeliveryRequest['signature'],
	loadKeys: LoadVerificationKeys,
): Promise<number> {
	if (carrier.kind === 'query') {
		throw new DeliveryRejection(
			401,
			'A signed GET must carry the JSON envelope in a "payload" query parameter; bracketed query keys are accepted only with Authentication set to None',
		);
	}
	const keys = await loadKeys();
	if (keys.length === 0) {
		throw new DeliveryRejection(
			401,
			'The trigger has no Verification Key, so it cannot verify any delivery',
			{ operatorWarning: NO_KEY_WARNING },
		);
	}
	const position = verifyingKeyPosition(keys, carrier.bytes, signature);
	if (position === null) throw new DeliveryRejection(401, SIGNATURE_MISMATCH);
	return position;
}

/**
 * Who sent the delivery, which bytes carry it and whether they are signed, before any of them
 * is parsed. The credential's keys (which cost n8n an expression isolate to load) are read only
 * once the sender and the carrier have passed, and only when Authentication is not exactly None.
 */
export async function verifyDelivery(
	request: DeliveryRequest,
	settings: TriggerSettings,
	loadKeys: LoadVerificationKeys,
): Promise<VerifiedDelivery> {
	checkSender(settings, request.clientIp);
	const carrier = findCarrier(request);
	const verifiedWithKey =
		settings.authentication === AUTHENTICATION.none
			? null
			: await checkSignature(carrier, request.signature, loadKeys);
	return { carrier, verifiedWithKey };
}
