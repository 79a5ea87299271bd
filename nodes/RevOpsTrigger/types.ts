/**
 * Typed RevOps payloads (snake_case, as on the wire) and the items the trigger emits.
 * Every wire field is optional or nullable because RevOps' own examples leave fields out;
 * unknown fields are passed through untouched, hence the index signatures.
 */
import type { RevOpsObjectType } from './events';

type Passthrough = { [field: string]: unknown };

// A value RevOps documents as a string, which may arrive as a JSON number (docs/revops-webhooks.md §6).
type WireText = string | number;

/** `event` block of the envelope. `time` is Unix seconds (or milliseconds) as number or digits. */
export interface RevOpsEventMeta extends Passthrough {
	id?: WireText | null;
	time?: number | string | null;
	type?: WireText;
	hash?: WireText;
}

export interface RevOpsContact extends Passthrough {
	name?: WireText | null;
	email?: WireText | null;
	address?: WireText | null;
	city?: WireText | null;
	state?: WireText | null;
	country?: WireText | null;
	postal_code?: WireText | null;
}

export interface RevOpsFeatureFlag extends Passthrough {
	name?: WireText;
	/** Missing means false; a GET delivery carries it as the text "true" or "false". */
	enabled?: boolean | 'true' | 'false';
}

export interface RevOpsSku extends Passthrough {
	id?: WireText;
	title?: WireText | null;
	friendly_name?: WireText | null;
	description?: WireText | null;
	quantity?: number | string | null;
	unit_name?: WireText | null;
	/** `annual`, `month`, `usage`, ... */
	billing_schedule?: WireText | null;
	monthly_price?: WireText | null;
	monthly_price_currency?: WireText | null;
	annual_price?: WireText | null;
	annual_price_currency?: WireText | null;
	pricebook_id?: WireText | null;
	product_id?: WireText | null;
}

export interface RevOpsTerm extends Passthrough {
	id?: WireText;
	/** For example "Billing Frequency", "Contract Term (Months)", "Payment Terms". */
	friendly_name?: WireText;
	description?: WireText | null;
	value?: WireText | null;
}

export interface RevOpsDeal extends Passthrough {
	id?: WireText;
	/** `draft`, `attention`, `approved`, `negotiation`, `signing`, `signed`, `active`, ... */
	status?: WireText;
	signed_contract_url?: WireText | null;
	contract_activates_date?: WireText | null;
	hubspot_deal_id?: WireText | null;
	opportunity_id?: WireText | null;
	original_net_price?: WireText | null;
	original_net_price_currency?: WireText | null;
	original_net_price_precision?: number | string | null;
	net_price?: WireText | null;
	net_price_currency?: WireText | null;
	net_price_precision?: number | string | null;
	account_id?: WireText | null;
	customer?: ({ legal_name?: WireText | null } & Passthrough) | null;
	billing_contact?: RevOpsContact | null;
	lead_contact?: RevOpsContact | null;
	feature_flags?: RevOpsFeatureFlag[] | null;
	skus?: RevOpsSku[] | null;
	terms?: RevOpsTerm[] | null;
}

export interface RevOpsAccount extends Passthrough {
	account_id?: WireText;
	blocked?: boolean;
	email?: WireText | null;
	name?: WireText | null;
	parent_account_id?: WireText | null;
	/** `pending`, `activating`, `active`, `deleted`, ... */
	status?: WireText;
}

/**
 * A delivery as the trigger reads it: the optional `body` wrapper removed, `event` as an
 * object (a bare string is its type), and whichever of `deal` and `account` is an object.
 */
export interface RevOpsEnvelope {
	event: RevOpsEventMeta;
	deal?: RevOpsDeal;
	account?: RevOpsAccount;
	/** Which object the event is about: the one a catalogued `event.type` names, else the deal when there is one. */
	objectType: RevOpsObjectType;
	/** `event.type` when it is a non-empty string, else inferred from the object's status. */
	eventType: string;
	eventTypeInferred: boolean;
	/** `event.time` as ISO 8601 (UTC), or null when it is missing or not Unix seconds or milliseconds. */
	eventTime: string | null;
}

/** An exact amount of money, counted in the currency's ISO 4217 minor unit. */
export interface RevOpsMoney {
	/**
	 * A decimal string with exactly `minorUnitDigits` digits when `minorUnits` is set, otherwise
	 * exactly as RevOps wrote it.
	 */
	amount: string;
	/** The `*_currency` RevOps sent with the amount as written, or null when it sent none or not a string. */
	currency: string | null;
	/**
	 * The currency's ISO 4217 minor-unit digits (USD 2, JPY 0, KWD 3), the unit `minorUnits`
	 * counts in; null when `currency` is missing or not an ISO code with a minor unit. RevOps'
	 * `*_precision` (how many digits it wrote) is not used.
	 */
	minorUnitDigits: number | null;
	/**
	 * The amount × 10^minorUnitDigits as a whole number (cents for USD, yen for JPY), or null, with a
	 * warning, when that is not exact: unknown currency, a fraction of the smallest unit, or
	 * beyond 2^53.
	 */
	minorUnits: number | null;
}

interface RevOpsItemBase {
	/**
	 * The event's wire name: one of the catalogue's `RevOpsEventType` values, or, when the user
	 * listens to All Events, a type RevOps added after this release.
	 */
	eventType: string;
	/** True when the envelope had no `event.type` and the type came from the object's status. */
	eventTypeInferred: boolean;
	/** `event.id` as text, or null when the envelope had none. */
	eventId: string | null;
	/** ISO 8601 (UTC) from `event.time`, or null when the envelope had none. */
	eventTime: string | null;
	/** `deal` or `account`: which of the two item shapes this is. */
	objectType: RevOpsObjectType;
	/** Same for every retry of one delivery, different for different events: the key for Remove Duplicates. */
	dedupeKey: string;
	/** True when a Verification Key checked the signature; false when authentication is off. */
	signatureVerified: boolean;
	/**
	 * Which of the credential's Verification Keys verified the signature, by position (1 for
	 * 'Verification Key', 2 to 5 for the others); null when authentication is off. Never the key.
	 */
	verifiedWithKey: number | null;
	/** The `event` block exactly as received (`{}` when the envelope had none, `{ type }` when it was a string). */
	event: RevOpsEventMeta;
	/**
	 * One line per summary field that could not be read and is null or empty for that reason;
	 * the first 20, then one line counting the rest.
	 */
	warnings: string[];
}

/** The item of a deal event (`objectType` is `deal`). */
export interface RevOpsDealItem extends RevOpsItemBase {
	objectType: 'deal';
	/** `deal.id`. */
	dealId: string | null;
	/** `deal.status`. */
	dealStatus: string | null;
	/** `deal.account_id`. */
	accountId: string | null;
	/** `deal.customer.legal_name`. */
	customerName: string | null;
	/** `deal.net_price` in `deal.net_price_currency`; null when it is missing or unreadable (with a warning). */
	netPrice: RevOpsMoney | null;
	/** `deal.original_net_price` in its currency; null when it is missing or unreadable. */
	originalNetPrice: RevOpsMoney | null;
	/** Names of the feature flags whose `enabled` is true (or the text "true"); the first 1,000. */
	enabledFeatureFlags: string[];
	/** Names of the other listed flags: `enabled` false, "false", missing or unreadable; the first 1,000. */
	disabledFeatureFlags: string[];
	/** Term `friendly_name` to `value`. */
	terms: Record<string, string | null>;
	/** `deal.hubspot_deal_id`: the HubSpot deal the RevOps deal is linked to, or null. */
	hubspotDealId: string | null;
	/** `deal.opportunity_id`: the Salesforce opportunity the RevOps deal is linked to, or null. */
	opportunityId: string | null;
	/** `deal.signed_contract_url`: the signed contract's PDF, null until the deal is signed. */
	signedContractUrl: string | null;
	/** `deal.contract_activates_date` as RevOps wrote it (ISO 8601 UTC, such as "2024-06-01T00:00:00Z"), or null. */
	contractActivatesDate: string | null;
	/** The `deal` object exactly as received. */
	deal: RevOpsDeal;
}

/** The item of an account event (`objectType` is `account`). */
export interface RevOpsAccountItem extends RevOpsItemBase {
	objectType: 'account';
	/** `account.account_id`. */
	accountId: string | null;
	/** `account.name`. */
	accountName: string | null;
	/** `account.email`. */
	accountEmail: string | null;
	/** `account.status`. */
	accountStatus: string | null;
	/** The `account` object exactly as received. */
	account: RevOpsAccount;
}

export type RevOpsItem = RevOpsDealItem | RevOpsAccountItem;
