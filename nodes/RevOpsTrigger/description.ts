import type { INodeProperties } from 'n8n-workflow';

import { ALL_EVENTS, REVOPS_EVENTS } from './events';

export const CREDENTIAL_TYPE = 'revOpsWebhookApi';

export const AUTHENTICATION = { verificationKey: 'verificationKey', none: 'none' } as const;

export const setupNotice: INodeProperties = {
	displayName:
		'In RevOps, open Settings > Webhooks, add a webhook with the method POST, and paste the Production URL shown above (RevOps accepts only https URLs). Copy that webhook\'s Verification Key into this node\'s credential.',
	name: 'setupNotice',
	type: 'notice',
	default: '',
};

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Verification Key',
			value: AUTHENTICATION.verificationKey,
			description: 'Accept only deliveries signed with the webhook\'s Verification Key',
		},
		{
			name: 'None',
			value: AUTHENTICATION.none,
			description: 'Accept unsigned deliveries from anyone who knows the URL',
		},
	],
	default: 'verificationKey',
};

export const unsignedWarning: INodeProperties = {
	displayName:
		'Without a Verification Key anyone who learns this URL can start the workflow with a made-up event, for example a signed deal that provisions a product for free. Use None only for trying things out.',
	name: 'unsignedWarning',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: [AUTHENTICATION.none] } },
};

export const eventsProperty: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	required: true,
	default: [],
	description:
		'The events that start the workflow. Others are still acknowledged to RevOps but start no execution.',
	options: [
		{
			name: 'All Events',
			value: ALL_EVENTS,
			description: 'Every event, including types RevOps adds later',
		},
		...REVOPS_EVENTS.map((event) => ({
			name: event.label,
			value: event.type,
			description: event.description,
		})),
	],
};
