/**
 * The RevOps event catalogue: the one place that names the events RevOps sends.
 * The node's Events option, the TypeScript types, the README table and the test
 * matrix are all derived from this list.
 */
export const REVOPS_EVENTS = [
	{
		type: 'deal-created',
		object: 'deal',
		label: 'Deal Created',
		description: 'A deal is first saved as a draft or first sent to Deal Desk',
	},
	{
		type: 'deal-updated',
		object: 'deal',
		label: 'Deal Updated',
		description: 'Any edit or status change on a deal, including the change that signs it',
	},
	{
		type: 'deal-signed',
		object: 'deal',
		label: 'Deal Signed',
		description: 'Every party has signed the deal',
	},
	{
		type: 'deal-active',
		object: 'deal',
		label: 'Deal Activated',
		description: 'The customer was activated for billing from the deal',
	},
	{
		type: 'account-created',
		object: 'account',
		label: 'Account Created',
		description: 'An account is first created, usually in a pending status',
	},
	{
		type: 'account-updated',
		object: 'account',
		label: 'Account Updated',
		description: 'A property of an account changed',
	},
	{
		type: 'account-deleted',
		object: 'account',
		label: 'Account Deleted',
		description: 'An account was deprovisioned',
	},
] as const;

export type RevOpsObjectType = 'deal' | 'account';

export type RevOpsEventType = (typeof REVOPS_EVENTS)[number]['type'];

/** The Events option value that selects every event, including types RevOps adds later. */
export const ALL_EVENTS = '*';
