/**
 * The shape rules of a RevOps envelope, as questions that never refuse. The reader (reader.ts)
 * decides what to refuse from their answers; the refusal log and the sample tools ask them of
 * deliveries that may be refused, so they must not throw.
 */
import type { RevOpsObjectType } from './events';
import type { RevOpsEventMeta } from './types';
import { isRecord } from './values';

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
export function inferEventType(objectType: RevOpsObjectType, status: unknown): string {
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
