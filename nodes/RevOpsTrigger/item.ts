/**
 * The last step of a delivery: from a usable RevOps envelope to the item the trigger emits, with
 * the event's type and time as envelope.ts decided them, its de-duplication key, and deal and
 * account fields ready to map. Everything here is a summary of objects the item also carries
 * untouched, so a field that cannot be read becomes null (or empty) with a line in the item's
 * warnings: building the item never refuses.
 */
import { createHash } from 'crypto';

import { REVOPS_EVENTS } from './events';
import { JsonNumbers } from './json-numbers';
import { readMoney } from './money';
import type {
	RevOpsAccount,
	RevOpsAccountItem,
	RevOpsDeal,
	RevOpsDealItem,
	RevOpsEnvelope,
	RevOpsItem,
} from './types';
import { describeType, isRecord, isUnset } from './json-values';
import type { DeliveryCarrier } from './verify';

/**
 * What the readers of one delivery share. Warnings travel with the item: a field the trigger
 * only summarises and could not read is named there instead of making the trigger refuse a
 * delivery RevOps would then lose. JSON numbers are read as the text they were written as.
 */
/** Warning lines an item lists; the rest are counted, so a hostile body cannot grow the item without bound. */
export const MAX_LISTED_WARNINGS = 20;

export class Reading {
	private readonly listed: string[] = [];
	private unlisted = 0;

	constructor(private readonly numbers: JsonNumbers) {}

	warn(line: string): void {
		if (this.listed.length < MAX_LISTED_WARNINGS) this.listed.push(line);
		else this.unlisted += 1;
	}

	/** The item's `warnings`: the first lines as written, then one line counting the rest. */
	warnings(): string[] {
		if (this.unlisted === 0) return [...this.listed];
		return [...this.listed, `... and ${this.unlisted} more warnings like these, not listed`];
	}

	/** The decimal text a JSON number was written as, or null when the body does not say it exactly. */
	numberText(value: number): string | null {
		return this.numbers.textOf(value);
	}
}

/**
 * Text as documented; numbers (real payloads send them) as the digits that were sent and
 * booleans as their text; "" as unset. A number whose digits JSON parsing lost is null.
 */
function readText(value: unknown, field: string, reading: Reading): string | null {
	if (isUnset(value)) return null;
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return String(value);
	const digits = typeof value === 'number' ? reading.numberText(value) : null;
	if (digits !== null) return digits;
	reading.warn(
		typeof value === 'number'
			? `${field}: the JSON number has more digits than can be read exactly; RevOps should send it as text`
			: `${field}: expected text, got ${describeType(value)}`,
	);
	return null;
}

/**
 * What the envelope reader decided about the event type, as warnings: a given `event.type`
 * that was not text (so the type was inferred), or both objects with no known type.
 */
function warnAboutEventType(envelope: RevOpsEnvelope, reading: Reading): void {
	const given = envelope.event.type;
	if (envelope.eventTypeInferred && !isUnset(given)) {
		reading.warn(
			`event.type: expected an event type such as "deal-signed", got ${describeType(given)}; inferred from the status`,
		);
	}
	const catalogued =
		!envelope.eventTypeInferred && REVOPS_EVENTS.some((event) => event.type === envelope.eventType);
	if (!catalogued && envelope.deal && envelope.account) {
		reading.warn(
			'The delivery has both a "deal" and an "account" and no known "event.type"; read as a deal event',
		);
	}
}

/** What the envelope reader decided about `event.time`, as a warning: a time it could not read is null. */
function warnAboutEventTime(envelope: RevOpsEnvelope, reading: Reading): void {
	const given = envelope.event.time;
	if (envelope.eventTime === null && !isUnset(given)) {
		reading.warn(`event.time: expected Unix seconds or milliseconds, got ${describeType(given)}`);
	}
}

/** The objects of a RevOps list; n8n's query parser turns lists longer than 20 into objects keyed by index. */
function readList(value: unknown, field: string, reading: Reading): Array<Record<string, unknown>> {
	if (isUnset(value)) return [];
	const entries =
		isRecord(value) && Object.keys(value).every((key) => /^\d+$/.test(key))
			? Object.keys(value)
					.sort((a, b) => Number(a) - Number(b))
					.map((key) => value[key])
			: value;
	if (!Array.isArray(entries)) {
		reading.warn(`${field}: expected a list, got ${describeType(value)}`);
		return [];
	}
	return entries.filter((entry, index) => {
		if (isRecord(entry)) return true;
		reading.warn(`${field}[${index}]: expected an object, got ${describeType(entry)}`);
		return false;
	});
}

/** `enabled` missing means off; GET deliveries carry every value as a string. */
function isEnabled(flag: Record<string, unknown>, field: string, reading: Reading): boolean {
	const { enabled } = flag;
	if (enabled === true || enabled === 'true') return true;
	if (!isUnset(enabled) && enabled !== false && enabled !== 'false') {
		reading.warn(
			`${field}.enabled: expected true or false, got ${describeType(enabled)}; read as off`,
		);
	}
	return false;
}

/** Entries a summary list or map holds at most; the raw object keeps them all. */
export const MAX_SUMMARY_ENTRIES = 1000;

/**
 * A list of names a summary holds: the first MAX_SUMMARY_ENTRIES are kept, the rest only
 * counted, so a hostile body cannot grow the item; `warnIfCut` names the item field when it was cut.
 */
class BoundedNames {
	readonly names: string[] = [];
	private seen = 0;

	add(name: string): void {
		this.seen += 1;
		if (this.names.length < MAX_SUMMARY_ENTRIES) this.names.push(name);
	}

	warnIfCut(what: string, field: string, reading: Reading): string[] {
		if (this.seen > MAX_SUMMARY_ENTRIES) {
			reading.warn(
				`deal.feature_flags: ${this.seen} ${what} flags; ${field} lists the first ${MAX_SUMMARY_ENTRIES}`,
			);
		}
		return this.names;
	}
}

/**
 * The deal's flags split by state, so no workflow has to read `enabled` itself (RevOps sends
 * it as a boolean, as text on GET deliveries, or leaves it out). A flag without a readable name
 * is left out of both lists, with a warning.
 */
function readFeatureFlags(
	value: unknown,
	reading: Reading,
): { enabledFeatureFlags: string[]; disabledFeatureFlags: string[] } {
	const enabled = new BoundedNames();
	const disabled = new BoundedNames();
	readList(value, 'deal.feature_flags', reading).forEach((flag, index) => {
		const field = `deal.feature_flags[${index}]`;
		const isOn = isEnabled(flag, field, reading);
		const name = readText(flag.name, `${field}.name`, reading);
		if (name === null) reading.warn(`${field}: a flag without a name`);
		else (isOn ? enabled : disabled).add(name);
	});
	return {
		enabledFeatureFlags: enabled.warnIfCut('enabled', 'enabledFeatureFlags', reading),
		disabledFeatureFlags: disabled.warnIfCut('disabled', 'disabledFeatureFlags', reading),
	};
}

function readTerms(value: unknown, reading: Reading): Record<string, string | null> {
	const terms: Record<string, string | null> = {};
	let named = 0;
	readList(value, 'deal.terms', reading).forEach((term, index) => {
		const name = readText(term.friendly_name, `deal.terms[${index}].friendly_name`, reading);
		if (name === null) return;
		named += 1;
		if (named > MAX_SUMMARY_ENTRIES && !Object.hasOwn(terms, name)) return;
		const text = readText(term.value, `deal.terms[${index}].value`, reading);
		// defineProperty keeps a term named "__proto__" an ordinary field instead of a prototype change.
		Object.defineProperty(terms, name, {
			value: text,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	});
	if (named > MAX_SUMMARY_ENTRIES)
		reading.warn(
			`deal.terms: ${named} named terms; terms holds the first ${MAX_SUMMARY_ENTRIES} names`,
		);
	return terms;
}

function readCustomerName(customer: unknown, reading: Reading): string | null {
	if (isRecord(customer)) return readText(customer.legal_name, 'deal.customer.legal_name', reading);
	if (!isUnset(customer))
		reading.warn(`deal.customer: expected an object, got ${describeType(customer)}`);
	return null;
}

function dealFields(deal: RevOpsDeal, status: string | null, reading: Reading) {
	return {
		dealId: readText(deal.id, 'deal.id', reading),
		dealStatus: status,
		accountId: readText(deal.account_id, 'deal.account_id', reading),
		customerName: readCustomerName(deal.customer, reading),
		netPrice: readMoney(deal.net_price, deal.net_price_currency, 'deal.net_price', reading),
		originalNetPrice: readMoney(
			deal.original_net_price,
			deal.original_net_price_currency,
			'deal.original_net_price',
			reading,
		),
		...readFeatureFlags(deal.feature_flags, reading),
		terms: readTerms(deal.terms, reading),
		hubspotDealId: readText(deal.hubspot_deal_id, 'deal.hubspot_deal_id', reading),
		opportunityId: readText(deal.opportunity_id, 'deal.opportunity_id', reading),
		signedContractUrl: readText(deal.signed_contract_url, 'deal.signed_contract_url', reading),
		contractActivatesDate: readText(
			deal.contract_activates_date,
			'deal.contract_activates_date',
			reading,
		),
	};
}

function accountFields(account: RevOpsAccount, status: string | null, reading: Reading) {
	return {
		accountId: readText(account.account_id, 'account.account_id', reading),
		accountName: readText(account.name, 'account.name', reading),
		accountEmail: readText(account.email, 'account.email', reading),
		accountStatus: status,
	};
}

/**
 * Which delivery this is, for de-duplication: `event.id` when RevOps sent one, else a hash of
 * the bytes it arrived in (a retry repeats them exactly), prefixed with the event type so two
 * events never share a key. The type is URI-encoded so that a type of RevOps' own making cannot
 * contain the `:` that separates the parts. `event.hash` is not used: RevOps does not say what
 * it is a hash of, and if it covers only the object, two events about an unchanged object would share it.
 */
function dedupeKey(eventType: string, eventId: string | null, carrierBytes: Buffer): string {
	const identity =
		eventId !== null
			? `id:${eventId}`
			: `sha256:${createHash('sha256').update(carrierBytes).digest('hex')}`;
	return `${encodeURIComponent(eventType)}:${identity}`;
}

export function toItem(
	envelope: RevOpsEnvelope,
	carrier: DeliveryCarrier,
	verifiedWithKey: number | null,
): RevOpsItem {
	// A query carrier's values are all strings: it has no JSON numbers to look up.
	const reading = new Reading(new JsonNumbers(carrier.kind === 'json' ? carrier.bytes : ''));
	const { eventType, eventTypeInferred, objectType } = envelope;
	warnAboutEventType(envelope, reading);
	const status = readText(envelope[objectType]?.status, `${objectType}.status`, reading);
	const eventId = readText(envelope.event.id, 'event.id', reading);
	warnAboutEventTime(envelope, reading);
	const common = {
		eventType,
		eventTypeInferred,
		eventId,
		eventTime: envelope.eventTime,
		dedupeKey: dedupeKey(eventType, eventId, carrier.bytes),
		signatureVerified: verifiedWithKey !== null,
		verifiedWithKey,
		event: envelope.event,
	};
	if (objectType === 'deal') {
		const deal = envelope.deal as RevOpsDeal;
		const fields = dealFields(deal, status, reading);
		const item: RevOpsDealItem = {
			...common,
			objectType,
			...fields,
			deal,
			warnings: reading.warnings(),
		};
		return item;
	}
	const account = envelope.account as RevOpsAccount;
	const fields = accountFields(account, status, reading);
	const item: RevOpsAccountItem = {
		...common,
		objectType,
		...fields,
		account,
		warnings: reading.warnings(),
	};
	return item;
}
