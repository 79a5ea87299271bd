/**
 * What the trigger must emit for each fixture, field by field, written out by hand from the
 * fixtures and docs/revops-webhooks.md. Unit tests and the end-to-end suite (items read back from a
 * real n8n) both compare against `expectedItem`, which is the whole item: an extra, missing
 * or renamed field fails them.
 */
import { fixtureJson } from './fixtures';

const USD = (amount: string, minorUnits: number) => ({
	amount,
	currency: 'USD',
	minorUnitDigits: 2,
	minorUnits,
});

const NORTHWIND_TERMS = {
	'Account ID': 'cust_10482',
	'Billing Frequency': 'year',
	'Contract Term (Months)': '12',
	'Payment Terms': 'Net 30',
	'Purchase Order Number': 'PO-2024-0871',
};

const NORTHWIND_CONTRACT =
	'https://acme.revops.io/deals/c0ab9f43-827c-4097-b709-d58374daa274/signed-contract.pdf';

const northwindDeal = {
	objectType: 'deal',
	dealId: 'c0ab9f43-827c-4097-b709-d58374daa274',
	accountId: 'cust_10482',
	customerName: 'Northwind Analytics, Inc.',
	originalNetPrice: USD('48000.00', 4800000),
};

const northwindAccount = {
	objectType: 'account',
	accountId: 'cust_10482',
	accountName: 'Northwind Analytics',
	accountEmail: 'ap@northwind.example',
};

export const EXPECTED_ITEMS: Record<string, Record<string, unknown>> = {
	'deal-created': {
		...northwindDeal,
		eventType: 'deal-created',
		eventTypeInferred: false,
		eventId: 'ca02443d-2a18-4e08-8be7-8a58b1ae9b18',
		eventTime: '2024-05-06T14:02:11.000Z',
		dedupeKey: 'deal-created:id:ca02443d-2a18-4e08-8be7-8a58b1ae9b18',
		dealStatus: 'draft',
		netPrice: USD('48000.00', 4800000),
		enabledFeatureFlags: [],
		disabledFeatureFlags: ['sso_saml', 'audit_log_export', 'sandbox_workspaces'],
		hubspotDealId: null,
		opportunityId: '0065e00000KqZ3xAAF',
		signedContractUrl: null,
		contractActivatesDate: '2024-06-01T00:00:00Z',
		terms: {
			'Account ID': 'cust_10482',
			'Billing Frequency': 'year',
			'Contract Term (Months)': '12',
			'Payment Terms': 'Net 30',
		},
	},
	'deal-updated': {
		...northwindDeal,
		eventType: 'deal-updated',
		eventTypeInferred: false,
		eventId: 'a5345d0e-937f-41ea-956f-3f69959be455',
		eventTime: '2024-05-09T17:45:30.000Z',
		dedupeKey: 'deal-updated:id:a5345d0e-937f-41ea-956f-3f69959be455',
		dealStatus: 'negotiation',
		netPrice: USD('44400.00', 4440000),
		enabledFeatureFlags: [],
		disabledFeatureFlags: ['sso_saml', 'audit_log_export', 'sandbox_workspaces'],
		hubspotDealId: null,
		opportunityId: '0065e00000KqZ3xAAF',
		signedContractUrl: null,
		contractActivatesDate: '2024-06-01T00:00:00Z',
		terms: NORTHWIND_TERMS,
	},
	'deal-signed': {
		...northwindDeal,
		eventType: 'deal-signed',
		eventTypeInferred: false,
		eventId: '6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
		eventTime: '2024-05-14T16:20:05.000Z',
		dedupeKey: 'deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
		dealStatus: 'signed',
		netPrice: USD('44400.00', 4440000),
		enabledFeatureFlags: ['sso_saml', 'audit_log_export'],
		disabledFeatureFlags: ['sandbox_workspaces'],
		hubspotDealId: null,
		opportunityId: '0065e00000KqZ3xAAF',
		signedContractUrl: NORTHWIND_CONTRACT,
		contractActivatesDate: '2024-06-01T00:00:00Z',
		terms: NORTHWIND_TERMS,
	},
	'deal-active': {
		...northwindDeal,
		eventType: 'deal-active',
		eventTypeInferred: false,
		eventId: 'abfec730-2e5b-428c-92bf-ff95563973b4',
		eventTime: '2024-05-15T09:00:42.000Z',
		dedupeKey: 'deal-active:id:abfec730-2e5b-428c-92bf-ff95563973b4',
		dealStatus: 'active',
		netPrice: USD('44400.00', 4440000),
		enabledFeatureFlags: ['sso_saml', 'audit_log_export'],
		disabledFeatureFlags: ['sandbox_workspaces'],
		hubspotDealId: null,
		opportunityId: '0065e00000KqZ3xAAF',
		signedContractUrl: NORTHWIND_CONTRACT,
		contractActivatesDate: '2024-06-01T00:00:00Z',
		terms: NORTHWIND_TERMS,
	},
	'deal-signed-jpy-body-wrapped': {
		objectType: 'deal',
		eventType: 'deal-signed',
		eventTypeInferred: true,
		eventId: '7184d3fa-cd47-4327-9cac-2f12984bf25f',
		eventTime: '2024-07-22T03:41:19.000Z',
		dedupeKey: 'deal-signed:id:7184d3fa-cd47-4327-9cac-2f12984bf25f',
		dealId: 'd29e9fff-0144-4e9d-83b2-41a97e584a29',
		dealStatus: 'signed',
		accountId: 'cust_20917',
		customerName: 'Sakura Logistics K.K.',
		netPrice: { amount: '4860000', currency: 'JPY', minorUnitDigits: 0, minorUnits: 4860000 },
		originalNetPrice: {
			amount: '5400000',
			currency: 'JPY',
			minorUnitDigits: 0,
			minorUnits: 5400000,
		},
		enabledFeatureFlags: ['sso_saml'],
		disabledFeatureFlags: [],
		hubspotDealId: '18452399012',
		opportunityId: null,
		signedContractUrl:
			'https://acme.revops.io/deals/d29e9fff-0144-4e9d-83b2-41a97e584a29/signed-contract.pdf',
		contractActivatesDate: '2024-08-01T00:00:00Z',
		terms: { 'Billing Frequency': 'year', 'Payment Terms': 'Net 45' },
	},
	// RevOps' example body: "" for every value not set yet, and a term whose value is a number.
	'deal-created-unset-fields': {
		objectType: 'deal',
		eventType: 'deal-created',
		eventTypeInferred: false,
		eventId: '0d6f2c8e-58a1-4c55-9a3e-1f7b2c9d4e10',
		eventTime: '2024-06-10T12:20:00.000Z',
		dedupeKey: 'deal-created:id:0d6f2c8e-58a1-4c55-9a3e-1f7b2c9d4e10',
		dealId: '5e7a1b2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d',
		dealStatus: 'draft',
		accountId: null,
		customerName: 'Fjord Freight AS',
		netPrice: null,
		originalNetPrice: null,
		enabledFeatureFlags: [],
		disabledFeatureFlags: [],
		hubspotDealId: null,
		opportunityId: null,
		signedContractUrl: null,
		contractActivatesDate: null,
		terms: { 'Contract Term (Months)': '12', 'Purchase Order Number': null },
	},
	// RevOps' "Testing webhooks" curl example: the event block is a bare string, no id or time.
	'deal-created-string-event': {
		objectType: 'deal',
		eventType: 'deal-created',
		eventTypeInferred: false,
		eventId: null,
		eventTime: null,
		dedupeKey:
			'deal-created:sha256:c97df7e683a54df583e7a92e6b61be31ec624a3a1d1126ab46a79b61607a2254',
		dealId: '5e7a1b2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d',
		dealStatus: 'draft',
		accountId: 'cust_30551',
		customerName: 'Fjord Freight AS',
		netPrice: { amount: '12500.00', currency: 'NOK', minorUnitDigits: 2, minorUnits: 1250000 },
		originalNetPrice: null,
		enabledFeatureFlags: [],
		disabledFeatureFlags: [],
		hubspotDealId: null,
		opportunityId: null,
		signedContractUrl: null,
		contractActivatesDate: null,
		terms: {},
	},
	'account-created': {
		...northwindAccount,
		eventType: 'account-created',
		eventTypeInferred: false,
		eventId: null,
		eventTime: '2024-05-06T14:02:12.000Z',
		dedupeKey:
			'account-created:sha256:9b1d4a3cb54bfd10cdd7a7b3eed88ef40c4b47c76f52cf28e7f249646bd5c6af',
		accountStatus: 'pending',
	},
	'account-updated': {
		...northwindAccount,
		eventType: 'account-updated',
		eventTypeInferred: false,
		eventId: null,
		eventTime: '2024-05-15T09:00:45.000Z',
		dedupeKey:
			'account-updated:sha256:a2627c1b10374669448bb740e2ddd5e146833339e30ef0693487f87c71dc6180',
		accountStatus: 'active',
	},
	'account-deleted': {
		...northwindAccount,
		eventType: 'account-deleted',
		eventTypeInferred: false,
		eventId: null,
		eventTime: '2024-11-02T08:15:00.000Z',
		dedupeKey:
			'account-deleted:sha256:fbfb1dfa01bac7a1fb4e56354138fb53ef413e1358d0fee7b8b400d60683a811',
		accountStatus: 'deleted',
	},
};

/**
 * The whole item for a fixture: the summary above, the `event` block and the object exactly as
 * the fixture holds them, and no warnings.
 */
export function expectedItem(name: string, signatureVerified: boolean): Record<string, unknown> {
	const json = fixtureJson(name);
	const envelope = (json.body ?? json) as Record<string, unknown>;
	const summary = EXPECTED_ITEMS[name];
	const objectType = summary.objectType as string;
	const event =
		typeof envelope.event === 'string' ? { type: envelope.event } : (envelope.event ?? {});
	return {
		...summary,
		event,
		signatureVerified,
		verifiedWithKey: signatureVerified ? 1 : null,
		warnings: [],
		[objectType]: envelope[objectType],
	};
}
