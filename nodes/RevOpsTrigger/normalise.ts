/**
 * From a checked RevOps envelope to the item the trigger emits: the event's type (given or
 * inferred), time and de-duplication key, plus deal and account fields ready to map.
 */
import { createHash } from 'crypto';

import { REVOPS_EVENTS, type RevOpsObjectType } from './events';
import { readMoney } from './money';
import { isRecord } from './parse';
import { rejectInput } from './rejection';
import type {
	RevOpsAccount,
	RevOpsAccountItem,
	RevOpsDeal,
	RevOpsDealItem,
	RevOpsEnvelope,
	RevOpsEventMeta,
	RevOpsItem,
} from './types';

function optionalString(value: unknown, field: string): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string') return rejectInput(`"${field}" must be a string`);
	return value;
}

function inferEventType(objectType: RevOpsObjectType, status: string | null): string {
	if (objectType === 'deal') {
		if (status === 'signed') return 'deal-signed';
		if (status === 'active') return 'deal-active';
		return 'deal-updated';
	}
	return status === 'deleted' ? 'account-deleted' : 'account-updated';
}

/** The object the delivery is about: the `deal` or `account` key, disambiguated by `event.type`. */
function resolveObjectType(envelope: RevOpsEnvelope, eventType: string | null): RevOpsObjectType {
	const catalogued = REVOPS_EVENTS.find((event) => event.type === eventType);
	if (catalogued) {
		if (envelope[catalogued.object] === undefined) {
			return rejectInput(`A "${catalogued.type}" event needs a "${catalogued.object}" object`);
		}
		return catalogued.object;
	}
	if (envelope.deal !== undefined && envelope.account !== undefined) {
		return rejectInput('The delivery has both a "deal" and an "account"; "event.type" must say which it is about');
	}
	return envelope.deal !== undefined ? 'deal' : 'account';
}

const UNIX_DIGITS = /^\d{1,16}$/;

/** `event.time` is Unix seconds, as a number or a digit string; 13 digits mean milliseconds. */
function readEventTime(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	const digits = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof digits !== 'string' || !UNIX_DIGITS.test(digits)) {
		return rejectInput('"event.time" must be Unix seconds (or milliseconds) as a number or a string of digits');
	}
	const milliseconds = digits.length === 13 ? Number(digits) : Number(digits) * 1000;
	const date = new Date(milliseconds);
	if (Number.isNaN(date.getTime())) return rejectInput('"event.time" is out of range');
	return date.toISOString();
}

function readList(value: unknown, field: string): Array<Record<string, unknown>> {
	if (value === undefined || value === null) return [];
	// n8n's query parser turns arrays with an index above 20 into objects keyed by index.
	const entries = isRecord(value) && Object.keys(value).every((key) => /^\d+$/.test(key))
		? Object.keys(value).sort((a, b) => Number(a) - Number(b)).map((key) => value[key])
		: value;
	if (!Array.isArray(entries) || !entries.every(isRecord)) {
		return rejectInput(`"${field}" must be a list of objects`);
	}
	return entries;
}

function isEnabled(flag: Record<string, unknown>): boolean {
	// GET deliveries carry every value as a string.
	return flag.enabled === true || flag.enabled === 'true';
}

function dealFields(deal: RevOpsDeal) {
	const customer = deal.customer;
	if (customer !== undefined && customer !== null && !isRecord(customer)) {
		return rejectInput('"deal.customer" must be an object');
	}
	const enabledFeatureFlags = readList(deal.feature_flags, 'deal.feature_flags')
		.map((flag, index) => (isEnabled(flag) ? optionalString(flag.name, `deal.feature_flags[${index}].name`) : null))
		.filter((name): name is string => name !== null);
	const terms: Record<string, string | null> = {};
	readList(deal.terms, 'deal.terms').forEach((term, index) => {
		const name = optionalString(term.friendly_name, `deal.terms[${index}].friendly_name`);
		if (name === null) return;
		const value = term.value === undefined ? null : optionalString(term.value, `deal.terms[${index}].value`);
		// defineProperty keeps a term named "__proto__" an ordinary field instead of a prototype change.
		Object.defineProperty(terms, name, { value, enumerable: true, writable: true, configurable: true });
	});
	return {
		dealId: optionalString(deal.id, 'deal.id'),
		dealStatus: optionalString(deal.status, 'deal.status'),
		accountId: optionalString(deal.account_id, 'deal.account_id'),
		customerName: optionalString(customer?.legal_name, 'deal.customer.legal_name'),
		netPrice: readMoney(deal.net_price, deal.net_price_currency, deal.net_price_precision, 'deal.net_price'),
		originalNetPrice: readMoney(
			deal.original_net_price,
			deal.original_net_price_currency,
			deal.original_net_price_precision,
			'deal.original_net_price',
		),
		enabledFeatureFlags,
		terms,
	};
}

function accountFields(account: RevOpsAccount) {
	return {
		accountId: optionalString(account.account_id, 'account.account_id'),
		accountName: optionalString(account.name, 'account.name'),
		accountEmail: optionalString(account.email, 'account.email'),
		accountStatus: optionalString(account.status, 'account.status'),
	};
}

/**
 * Which delivery this is, for de-duplication: `event.id`, else `event.hash`, else a hash of
 * the bytes it arrived in, prefixed with the event type so two events never share a key.
 */
function dedupeKey(eventType: string, event: RevOpsEventMeta, carrierBytes: Buffer): string {
	const identity =
		(typeof event.id === 'string' && event.id !== '' && `id:${event.id}`) ||
		(typeof event.hash === 'string' && event.hash !== '' && `hash:${event.hash}`) ||
		`sha256:${createHash('sha256').update(carrierBytes).digest('hex')}`;
	return `${eventType}:${identity}`;
}

export function toItem(
	envelope: RevOpsEnvelope,
	carrierBytes: Buffer,
	signatureVerified: boolean,
): RevOpsItem {
	const event: RevOpsEventMeta = envelope.event ?? {};
	const givenType = event.type;
	if (givenType !== undefined && (typeof givenType !== 'string' || givenType === '')) {
		return rejectInput('"event.type" must be a non-empty string such as "deal-signed"');
	}
	if (event.hash !== undefined && typeof event.hash !== 'string') {
		return rejectInput('"event.hash" must be a string');
	}
	const objectType = resolveObjectType(envelope, givenType ?? null);
	const object = objectType === 'deal' ? envelope.deal : envelope.account;
	const status = optionalString(object?.status, `${objectType}.status`);
	const eventType = givenType ?? inferEventType(objectType, status);

	const common = {
		eventType,
		eventTypeInferred: givenType === undefined,
		eventId: optionalString(event.id, 'event.id'),
		eventTime: readEventTime(event.time),
		dedupeKey: dedupeKey(eventType, event, carrierBytes),
		signatureVerified,
		event,
	};
	if (objectType === 'deal') {
		const deal = envelope.deal as RevOpsDeal;
		const item: RevOpsDealItem = { ...common, objectType, ...dealFields(deal), deal };
		return item;
	}
	const account = envelope.account as RevOpsAccount;
	const item: RevOpsAccountItem = { ...common, objectType, ...accountFields(account), account };
	return item;
}
