/**
 * The second step of a delivery: the verified bytes as JSON, and the RevOps envelope they hold,
 * with the event's type and time decided once. `readDelivery` refuses (400) only what makes a
 * delivery unusable. The shape rules it asks are questions that never throw, because the refusal
 * log and the sample tools ask them of deliveries that may be refused.
 */
import { REVOPS_EVENTS, type RevOpsObjectType } from './events';
import { isRecord, nestsDeeperThan } from './json-values';
import type { RevOpsEnvelope, RevOpsEventMeta } from './types';
import { rejectInput, type DeliveryCarrier } from './verify';

const ENVELOPE_KEYS = ['event', 'deal', 'account'];

/** The `{ "body": { … } }` wrapper one RevOps example uses, removed when the top level has no envelope key. */
export function unwrapBody(json: Record<string, unknown>): Record<string, unknown> {
	const hasEnvelopeKey = ENVELOPE_KEYS.some((key) => Object.hasOwn(json, key));
	return !hasEnvelopeKey && isRecord(json.body) ? json.body : json;
}

/**
 * The `event` block as an object: as sent, or, as in RevOps' curl example, a bare string that
 * is the event type; `{}` when it is missing or null. Undefined when it is anything else.
 */
export function eventBlockOf(event: unknown): RevOpsEventMeta | undefined {
	if (event === undefined || event === null) return {};
	if (typeof event === 'string') return { type: event };
	return isRecord(event) ? (event as RevOpsEventMeta) : undefined;
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

const UNIX_DIGITS = /^\d{1,16}$/;

/**
 * `event.time` as ISO 8601 (UTC). RevOps sends Unix seconds, as a number or a digit string;
 * 13 digits mean milliseconds. Null when it is missing, "" or anything else.
 */
export function eventTimeOf(value: unknown): string | null {
	const digits = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof digits !== 'string' || !UNIX_DIGITS.test(digits)) return null;
	const date = new Date(digits.length === 13 ? Number(digits) : Number(digits) * 1000);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
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
