/**
 * The reader of deliveries, and the one module that refuses one. It reads a request cheapest
 * check first: who sent it, which bytes carry it, whether the signature holds, whether those
 * bytes hold an envelope the trigger can use, and how old the event is. The first check that
 * fails throws a DeliveryRejection with the status and message the sender gets, which
 * delivery.ts turns into a 4xx answer, so a sender never sees a 5xx. What comes after reading
 * never refuses: the event filter acknowledges, and the item builder turns what it cannot read
 * into warnings.
 */
import { eventBlockOf, eventTimeOf, inferEventType, unwrapBody } from './envelope';
import { REVOPS_EVENTS, type RevOpsObjectType } from './events';
import { isIpAllowed, parseIpAllowlist } from './ip-allowlist';
import { AUTHENTICATION, type TriggerSettings } from './settings';
import { verifyingKeyPosition } from './signature';
import type { RevOpsEnvelope } from './types';
import { isRecord, nestsDeeperThan } from './values';
import type { VerificationKey } from './verification-keys';

/** A delivery the trigger refuses: thrown only in this module. */
export class DeliveryRejection extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 413 | 415,
		message: string,
		/** For n8n's log, when the cause is the node's own settings rather than the delivery. */
		readonly details: { operatorWarning?: string } = {},
	) {
		super(message);
		this.name = 'DeliveryRejection';
	}
}

function rejectInput(message: string): never {
	throw new DeliveryRejection(400, message);
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

export const SIGNATURE_MISMATCH =
	"The X-RevOps-Content-Hmac signature is missing or does not match any of the trigger's Verification Keys";

function checkSender(settings: TriggerSettings, clientIp: string | undefined): void {
	const allowlist = parseIpAllowlist(settings.ipAllowlist ?? '');
	if (!isIpAllowed(allowlist, clientIp)) {
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
			{
				operatorWarning:
					'RevOps Trigger: the RevOps Webhook API credential holds no Verification Key, so every delivery is refused with 401. Copy the key from RevOps > Settings > Webhooks into the credential.',
			},
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

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeJson(bytes: Buffer): unknown {
	let text: string;
	try {
		text = utf8.decode(bytes);
	} catch {
		return rejectInput('The body is not valid UTF-8');
	}
	try {
		return JSON.parse(text);
	} catch {
		return rejectInput('The body is not valid JSON: RevOps sends one JSON object per delivery');
	}
}

/** Real RevOps envelopes are about 4 levels deep; n8n's own JSON handling overflows near 10,000. */
const MAX_NESTING = 64;

/**
 * Refuses only what makes a delivery unusable: not an object, nested too deep, an `event` of
 * the wrong kind, no `deal`/`account` object to be about, or a catalogued event type whose
 * object is missing. It also decides which event this is (`event.type` when it is a non-empty
 * string, otherwise the object present and its status) and when it happened, so nothing after
 * it reads either again. Everything inside the objects is read leniently later, and only for
 * events the user listens to.
 */
export function readEnvelope(json: unknown): RevOpsEnvelope {
	if (!isRecord(json)) {
		return rejectInput(
			'The delivery must be a JSON object with an "event" and a "deal" or "account"',
		);
	}
	if (nestsDeeperThan(json, MAX_NESTING)) {
		return rejectInput(`The delivery nests objects deeper than ${MAX_NESTING} levels`);
	}
	const envelope = unwrapBody(json);
	const event =
		eventBlockOf(envelope.event) ??
		rejectInput('"event" must be an object, or an event type such as "deal-signed"');
	const deal = isRecord(envelope.deal) ? envelope.deal : undefined;
	const account = isRecord(envelope.account) ? envelope.account : undefined;
	if (!deal && !account) {
		if (envelope.deal !== undefined) return rejectInput('"deal" must be an object');
		if (envelope.account !== undefined) return rejectInput('"account" must be an object');
		return rejectInput('The delivery has neither a "deal" nor an "account" object');
	}
	const given = typeof event.type === 'string' && event.type !== '' ? event.type : null;
	const catalogued = REVOPS_EVENTS.find((known) => known.type === given);
	if (catalogued && (catalogued.object === 'deal' ? deal : account) === undefined) {
		return rejectInput(`A "${catalogued.type}" event needs a "${catalogued.object}" object`);
	}
	const objectType: RevOpsObjectType = catalogued?.object ?? (deal ? 'deal' : 'account');
	const status = (objectType === 'deal' ? deal : account)?.status;
	return {
		event,
		deal,
		account,
		objectType,
		eventType: given ?? inferEventType(objectType, status),
		eventTypeInferred: given === null,
		eventTime: eventTimeOf(event.time),
	};
}

/** The envelope a verified delivery's bytes hold: UTF-8 JSON (a bracketed query is already parsed), then `readEnvelope`. */
export function readDelivery(carrier: DeliveryCarrier): RevOpsEnvelope {
	return readEnvelope(carrier.kind === 'query' ? carrier.envelope : decodeJson(carrier.bytes));
}

/** RevOps' signature has no timestamp: an age limit is the only bound on replaying a capture. */
export function checkAge(
	eventTime: string | null,
	settings: TriggerSettings,
	receivedAt: number,
): void {
	const limit = settings.maxEventAgeMinutes ?? 0;
	if (limit <= 0) return;
	if (eventTime === null) {
		throw new DeliveryRejection(
			403,
			'The event has no usable "event.time", so its age cannot be checked',
		);
	}
	if (receivedAt - Date.parse(eventTime) > limit * 60_000) {
		throw new DeliveryRejection(
			403,
			`The event is older than the ${limit} minutes this trigger accepts`,
		);
	}
}
