import type { INodeParameters, IWebhookDescription } from 'n8n-workflow';

import { ACKNOWLEDGEMENT_TEXT } from './delivery';
import { ACKNOWLEDGE_MODES } from './settings';

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
