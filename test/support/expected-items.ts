/**
 * What the trigger must emit for each fixture, field by field, written out by hand from the
 * fixtures and contract.md. Unit tests and the end-to-end suite (items read back from a
 * real n8n) both compare against this table.
 */
const USD = (amount: string, minorUnits: number) => ({ amount, currency: 'USD', precision: 2, minorUnits });

const NORTHWIND_TERMS = {
	'Account ID': 'cust_10482',
	'Billing Frequency': 'year',
	'Contract Term (Months)': '12',
	'Payment Terms': 'Net 30',
	'Purchase Order Number': 'PO-2024-0871',
};

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
		netPrice: { amount: '4860000', currency: 'JPY', precision: 0, minorUnits: 4860000 },
		originalNetPrice: { amount: '5400000', currency: 'JPY', precision: 0, minorUnits: 5400000 },
		enabledFeatureFlags: ['sso_saml'],
		terms: { 'Billing Frequency': 'year', 'Payment Terms': 'Net 45' },
	},
	'account-created': {
		...northwindAccount,
		eventType: 'account-created',
		eventTypeInferred: false,
		eventId: null,
		eventTime: '2024-05-06T14:02:12.000Z',
		dedupeKey: 'account-created:hash:0f8a29024491552a7135fc97f71ceed7ac0cc047e6a7998799568e3707d90ce1',
		accountStatus: 'pending',
	},
	'account-updated': {
		...northwindAccount,
		eventType: 'account-updated',
		eventTypeInferred: false,
		eventId: null,
		eventTime: '2024-05-15T09:00:45.000Z',
		dedupeKey: 'account-updated:hash:2342b89e1ae6057b29f67590bac29cfb2d4906a24ec611d20a47d61ad71b6eb1',
		accountStatus: 'active',
	},
	'account-deleted': {
		...northwindAccount,
		eventType: 'account-deleted',
		eventTypeInferred: false,
		eventId: null,
		eventTime: '2024-11-02T08:15:00.000Z',
		dedupeKey: 'account-deleted:hash:ec6bb10d01baee31a0bc455f06419aff4b4eb6d797f0cb71c60ca41f47f51767',
		accountStatus: 'deleted',
	},
};
