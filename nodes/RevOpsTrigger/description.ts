/**
 * What n8n shows and registers for the node: its properties as the editor lays them out, the
 * webhook descriptions, the text RevOps needs in an acknowledgement, and the credential's name.
 */
import type { INodeParameters, INodeProperties, IWebhookDescription } from 'n8n-workflow';

import { ALL_EVENTS, REVOPS_EVENTS } from './events';
import { ACKNOWLEDGE_MODES, AUTHENTICATION } from './settings';

export const CREDENTIAL_TYPE = 'revOpsWebhookApi';

/** RevOps counts a delivery as received only if the answer is 200 and its body contains this. */
export const ACKNOWLEDGEMENT_TEXT = 'RevOps API Event Received';

export const acknowledgeProperty: INodeProperties = {
	displayName: 'Acknowledge',
	name: 'acknowledge',
	type: 'options',
	options: [
		{
			name: 'When Received',
			value: ACKNOWLEDGE_MODES.whenReceived,
			description:
				'Answer RevOps as soon as the execution has started. RevOps will not deliver the event again, even if the workflow fails.',
		},
		{
			name: 'When Workflow Succeeds',
			value: ACKNOWLEDGE_MODES.whenWorkflowSucceeds,
			description:
				'Answer when the workflow has finished. If it fails, RevOps gets an error and delivers the event again later.',
		},
	],
	default: 'whenReceived',
	description: 'When RevOps is told that the event was received',
};

export const acknowledgeNotice: INodeProperties = {
	displayName: `n8n answers RevOps with the output of the last node that ran, and RevOps counts the delivery only if that answer contains "${ACKNOWLEDGEMENT_TEXT}": end the workflow with an Edit Fields node that sets a field to that text, and connect every branch (both outputs of an IF, for example) to it. A run that ends with no item, such as a Filter that lets nothing through, is answered with an error. The workflow must finish within RevOps' 30 second timeout. If it fails, RevOps delivers the event again, up to 5 times, an hour apart.`,
	name: 'acknowledgeNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { acknowledge: [ACKNOWLEDGE_MODES.whenWorkflowSucceeds] } },
};

export const setupNotice: INodeProperties = {
	displayName:
		'In RevOps, open Settings > Webhooks, add a webhook with the method POST and paste the Production URL shown above (RevOps accepts only https URLs). Copy that webhook\'s Verification Key into the credential below. <a href="https://www.revops.io/docs/webhooks/" target="_blank">RevOps\' webhook guide</a>',
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
			name: 'None',
			value: AUTHENTICATION.none,
			description: 'Accept unsigned deliveries from anyone who knows the URL',
		},
		{
			name: 'Verification Key',
			value: AUTHENTICATION.verificationKey,
			description: "Accept only deliveries signed with the webhook's Verification Key",
		},
	],
	default: 'verificationKey',
};

export const unsignedWarning: INodeProperties = {
	displayName:
		"Without a Verification Key, anyone who learns this URL can start the workflow with a made-up event, for example a signed deal that provisions a product for free. Use 'None' only for trying things out.",
	name: 'unsignedWarning',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: [AUTHENTICATION.none] } },
};

// n8n's guidelines: a trigger's event parameter is called Trigger On and has no tooltip, and
// list options are sorted alphabetically. All Events stays first: it is not an event but the
// choice of every event.
export const eventsProperty: INodeProperties = {
	displayName: 'Trigger On',
	name: 'events',
	type: 'multiOptions',
	required: true,
	default: [],
	options: [
		{
			name: 'All Events',
			value: ALL_EVENTS,
			description: 'Every event, including types RevOps adds later',
		},
		...[...REVOPS_EVENTS]
			.sort((a, b) => a.label.localeCompare(b.label, 'en'))
			.map((event) => ({
				name: event.label,
				value: event.type,
				description: event.description,
			})),
	],
};

const EVENT_LABELS = Object.fromEntries(REVOPS_EVENTS.map((event) => [event.type, event.label]));

/** The canvas subtitle, in Title Case like the options: "All Events" or "Deal Signed, Deal Updated". */
export const subtitle = `={{$parameter["events"].includes("${ALL_EVENTS}") ? "All Events" : $parameter["events"].map((type) => (${JSON.stringify(EVENT_LABELS)})[type] || type).join(", ")}}`;

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'IP(s) Allowlist',
			name: 'ipAllowlist',
			type: 'string',
			default: '',
			placeholder: 'e.g. 203.0.113.7, 198.51.100.0/24, 2001:db8::/32',
			description:
				"Comma-separated IP addresses or ranges that may send events; deliveries from other addresses are refused. Leave empty to allow any address. If n8n runs behind a reverse proxy, its N8N_PROXY_HOPS setting must be set for n8n to see the sender's address.",
		},
		{
			displayName: 'Reject Events Older Than (Minutes)',
			name: 'maxEventAgeMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Refuse events whose time, as RevOps sent it, is more than this many minutes ago, and events sent without a time. This limits replays of captured deliveries. Defaults to 0, which turns the check off. RevOps retries a delivery for about 5 hours, so a limit under 300 minutes also refuses its late retries.',
		},
	],
};

/**
 * n8n 2.41 resolves a webhook description's expression fields without its expression engine
 * (no V8 isolate) when the description carries a resolver for each of them under this
 * registry symbol (n8n-workflow's WEBHOOK_RESOLVERS) and the node's parameters hold no
 * expressions; n8n 1.x ignores it. Looked up with Symbol.for rather than imported, because
 * n8n-workflow 1.x does not export it and the node must load there too.
 */
const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

const WEBHOOK_PATH = 'webhook';

/** One value, two spellings that cannot drift: the editor's expression and n8n's native resolver. */
function byAcknowledge(whenWorkflowSucceeds: string, whenReceived: string) {
	return {
		template: `={{$parameter["acknowledge"] === "${ACKNOWLEDGE_MODES.whenWorkflowSucceeds}" ? "${whenWorkflowSucceeds}" : "${whenReceived}"}}`,
		resolve: (parameters: INodeParameters) =>
			parameters.acknowledge === ACKNOWLEDGE_MODES.whenWorkflowSucceeds
				? whenWorkflowSucceeds
				: whenReceived,
	};
}

const resolvers = {
	responseMode: byAcknowledge('lastNode', 'onReceived'),
	// On receipt RevOps needs this text in the body; after the workflow, the last node's item is the answer.
	responseData: byAcknowledge('firstEntryJson', ACKNOWLEDGEMENT_TEXT),
};

/** RevOps lets each webhook choose POST or GET; both are served on one URL. */
export const WEBHOOKS: IWebhookDescription[] = ['POST', 'GET'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	path: WEBHOOK_PATH,
	responseMode: resolvers.responseMode.template,
	responseData: resolvers.responseData.template,
	[WEBHOOK_RESOLVERS]: resolvers,
}));
