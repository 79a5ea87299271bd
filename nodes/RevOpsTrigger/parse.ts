/**
 * From an HTTP request to a RevOps envelope: which bytes carry the delivery (and so are
 * signed), how they decode, and whether they hold an envelope the trigger can use.
 */
import { REVOPS_EVENTS, type RevOpsObjectType } from './events';
import { DeliveryRejection, rejectInput } from './rejection';
import type { RevOpsEnvelope, RevOpsEventMeta } from './types';
import { isRecord } from './values';

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

const QUERY_ENVELOPE_PARAMETERS = ['payload', 'body', 'data'];

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

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeJson(bytes: Buffer): unknown {
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

/** Whether `value` nests objects or arrays deeper than `limit`, walked without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
	const pending: Array<[unknown, number]> = [[value, 1]];
	while (pending.length > 0) {
		const [current, depth] = pending.pop() as [unknown, number];
		if (typeof current !== 'object' || current === null) continue;
		if (depth > limit) return true;
		for (const child of Object.values(current)) pending.push([child, depth + 1]);
	}
	return false;
}

const ENVELOPE_KEYS = ['event', 'deal', 'account'];

/** The `{ "body": { … } }` wrapper one RevOps example uses, removed when the top level has no envelope key. */
export function unwrapBody(json: Record<string, unknown>): Record<string, unknown> {
	const hasEnvelopeKey = ENVELOPE_KEYS.some((key) => Object.hasOwn(json, key));
	return !hasEnvelopeKey && isRecord(json.body) ? json.body : json;
}

/**
 * The `event` block: an object as sent, or, as in RevOps' curl example, a bare string that is
 * the event type. Missing or null means the envelope had none.
 */
export function readEventBlock(event: unknown): RevOpsEventMeta {
	if (event === undefined || event === null) return {};
	if (typeof event === 'string') return { type: event };
	if (isRecord(event)) return event as RevOpsEventMeta;
	return rejectInput('"event" must be an object, or an event type such as "deal-signed"');
}

/** The rule for envelopes without `event.type`: the object's status decides. */
function inferEventType(objectType: RevOpsObjectType, status: unknown): string {
	if (objectType === 'deal') {
		if (status === 'signed') return 'deal-signed';
		if (status === 'active') return 'deal-active';
		return 'deal-updated';
	}
	return status === 'deleted' ? 'account-deleted' : 'account-updated';
}

/**
 * The one place that refuses a delivery for what it holds. Checks only what makes a delivery
 * unusable: not an object, nested too deep, an `event` of the wrong kind, no `deal`/`account`
 * object to be about, or a catalogued event type whose object is missing. It also decides which
 * event this is: `event.type` when it is a non-empty string, otherwise the object present and
 * its status. Everything inside the objects is read leniently later, and only for events the
 * user listens to.
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
	const event = readEventBlock(envelope.event);
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
	};
}
