/**
 * From a usable RevOps envelope to the item the trigger emits: the event's type (given or
 * inferred), time and de-duplication key, plus deal and account fields ready to map.
 * Everything here is a summary of objects the item also carries untouched, so a field that
 * cannot be read becomes null (or empty) with a warning, never a refusal.
 */
import { createHash } from 'crypto';

import { REVOPS_EVENTS, type RevOpsObjectType } from './events';
import { readMoney } from './money';
import { isRecord } from './parse';
import { rejectInput } from './rejection';
import type { RevOpsAccount, RevOpsAccountItem, RevOpsDeal, RevOpsDealItem, RevOpsEnvelope, RevOpsItem } from './types';
import { describeType, isUnset, type Warnings } from './warnings';

/** Text as documented; numbers and booleans (real payloads send them) as their text; "" as unset. */
function readText(value: unknown, field: string, warnings: Warnings): string | null {
	if (isUnset(value)) return null;
	if (typeof value === 'string') return value;
	if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
	warnings.push(`${field}: expected text, got ${describeType(value)}`);
	return null;
}

/** The contract's rule for envelopes without `event.type`: the object's status decides. */
function inferEventType(objectType: RevOpsObjectType, status: string | null): string {
	if (objectType === 'deal') {
		if (status === 'signed') return 'deal-signed';
		if (status === 'active') return 'deal-active';
		return 'deal-updated';
	}
	return status === 'deleted' ? 'account-deleted' : 'account-updated';
}

/**
 * Which event this is and which object it is about. `event.type` decides when it is a
 * non-empty string; otherwise the object present and its status do. A catalogued type whose
 * object is missing is the one contradiction that leaves nothing to emit.
 */
export function readEventType(envelope: RevOpsEnvelope, warnings: Warnings) {
	const given = envelope.event.type;
	const type = typeof given === 'string' && given !== '' ? given : null;
	if (type === null && !isUnset(given)) {
		warnings.push(`event.type: expected an event type such as "deal-signed", got ${describeType(given)}; inferred from the status`);
	}
	const catalogued = REVOPS_EVENTS.find((event) => event.type === type);
	if (catalogued && envelope[catalogued.object] === undefined) {
		return rejectInput(`A "${catalogued.type}" event needs a "${catalogued.object}" object`);
	}
	if (!catalogued && envelope.deal && envelope.account) {
		warnings.push('The delivery has both a "deal" and an "account" and no known "event.type"; read as a deal event');
	}
	const objectType: RevOpsObjectType = catalogued?.object ?? (envelope.deal ? 'deal' : 'account');
	const status = readText(envelope[objectType]?.status, `${objectType}.status`, warnings);
	return {
		eventType: type ?? inferEventType(objectType, status),
		eventTypeInferred: type === null,
		objectType,
		status,
	};
}

const UNIX_DIGITS = /^\d{1,16}$/;

/** `event.time` is Unix seconds, as a number or a digit string; 13 digits mean milliseconds. */
function readEventTime(value: unknown, warnings: Warnings): string | null {
	if (isUnset(value)) return null;
	const digits = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	const date =
		typeof digits === 'string' && UNIX_DIGITS.test(digits)
			? new Date(digits.length === 13 ? Number(digits) : Number(digits) * 1000)
			: undefined;
	if (date === undefined || Number.isNaN(date.getTime())) {
		warnings.push(`event.time: expected Unix seconds or milliseconds, got ${describeType(value)}`);
		return null;
	}
	return date.toISOString();
}

/** The objects of a RevOps list; n8n's query parser turns lists longer than 20 into objects keyed by index. */
function readList(value: unknown, field: string, warnings: Warnings): Array<Record<string, unknown>> {
	if (isUnset(value)) return [];
	const entries =
		isRecord(value) && Object.keys(value).every((key) => /^\d+$/.test(key))
			? Object.keys(value)
					.sort((a, b) => Number(a) - Number(b))
					.map((key) => value[key])
			: value;
	if (!Array.isArray(entries)) {
		warnings.push(`${field}: expected a list, got ${describeType(value)}`);
		return [];
	}
	return entries.filter((entry, index) => {
		if (isRecord(entry)) return true;
		warnings.push(`${field}[${index}]: expected an object, got ${describeType(entry)}`);
		return false;
	});
}

/** `enabled` missing means off; GET deliveries carry every value as a string. */
function isEnabled(flag: Record<string, unknown>, field: string, warnings: Warnings): boolean {
	const { enabled } = flag;
	if (enabled === true || enabled === 'true') return true;
	if (!isUnset(enabled) && enabled !== false && enabled !== 'false') {
		warnings.push(`${field}.enabled: expected true or false, got ${describeType(enabled)}; read as off`);
	}
	return false;
}

function readFeatureFlags(value: unknown, warnings: Warnings): string[] {
	return readList(value, 'deal.feature_flags', warnings).flatMap((flag, index) => {
		const field = `deal.feature_flags[${index}]`;
		if (!isEnabled(flag, field, warnings)) return [];
		const name = readText(flag.name, `${field}.name`, warnings);
		if (name === null) warnings.push(`${field}: an enabled flag without a name`);
		return name === null ? [] : [name];
	});
}

function readTerms(value: unknown, warnings: Warnings): Record<string, string | null> {
	const terms: Record<string, string | null> = {};
	readList(value, 'deal.terms', warnings).forEach((term, index) => {
		const name = readText(term.friendly_name, `deal.terms[${index}].friendly_name`, warnings);
		if (name === null) return;
		const text = readText(term.value, `deal.terms[${index}].value`, warnings);
		// defineProperty keeps a term named "__proto__" an ordinary field instead of a prototype change.
		Object.defineProperty(terms, name, { value: text, enumerable: true, writable: true, configurable: true });
	});
	return terms;
}

function readCustomerName(customer: unknown, warnings: Warnings): string | null {
	if (isRecord(customer)) return readText(customer.legal_name, 'deal.customer.legal_name', warnings);
	if (!isUnset(customer)) warnings.push(`deal.customer: expected an object, got ${describeType(customer)}`);
	return null;
}

function dealFields(deal: RevOpsDeal, status: string | null, warnings: Warnings) {
	return {
		dealId: readText(deal.id, 'deal.id', warnings),
		dealStatus: status,
		accountId: readText(deal.account_id, 'deal.account_id', warnings),
		customerName: readCustomerName(deal.customer, warnings),
		netPrice: readMoney(deal.net_price, deal.net_price_currency, deal.net_price_precision, 'deal.net_price', warnings),
		originalNetPrice: readMoney(
			deal.original_net_price,
			deal.original_net_price_currency,
			deal.original_net_price_precision,
			'deal.original_net_price',
			warnings,
		),
		enabledFeatureFlags: readFeatureFlags(deal.feature_flags, warnings),
		terms: readTerms(deal.terms, warnings),
	};
}

function accountFields(account: RevOpsAccount, status: string | null, warnings: Warnings) {
	return {
		accountId: readText(account.account_id, 'account.account_id', warnings),
		accountName: readText(account.name, 'account.name', warnings),
		accountEmail: readText(account.email, 'account.email', warnings),
		accountStatus: status,
	};
}

/**
 * Which delivery this is, for de-duplication: `event.id` when RevOps sent one, else a hash of
 * the bytes it arrived in (a retry repeats them exactly), prefixed with the event type so two
 * events never share a key. `event.hash` is not used: RevOps does not say what it is a hash
 * of, and if it covers only the object, two events about an unchanged object would share it.
 */
function dedupeKey(eventType: string, eventId: string | null, carrierBytes: Buffer): string {
	const identity = eventId !== null ? `id:${eventId}` : `sha256:${createHash('sha256').update(carrierBytes).digest('hex')}`;
	return `${eventType}:${identity}`;
}

export function toItem(envelope: RevOpsEnvelope, carrierBytes: Buffer, signatureVerified: boolean): RevOpsItem {
	const warnings: Warnings = [];
	const { eventType, eventTypeInferred, objectType, status } = readEventType(envelope, warnings);
	const eventId = readText(envelope.event.id, 'event.id', warnings);
	const common = {
		eventType,
		eventTypeInferred,
		eventId,
		eventTime: readEventTime(envelope.event.time, warnings),
		dedupeKey: dedupeKey(eventType, eventId, carrierBytes),
		signatureVerified,
		event: envelope.event,
		warnings,
	};
	if (objectType === 'deal') {
		const deal = envelope.deal as RevOpsDeal;
		const item: RevOpsDealItem = { ...common, objectType, ...dealFields(deal, status, warnings), deal };
		return item;
	}
	const account = envelope.account as RevOpsAccount;
	const item: RevOpsAccountItem = { ...common, objectType, ...accountFields(account, status, warnings), account };
	return item;
}
