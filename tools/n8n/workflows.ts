/**
 * Workflows the end-to-end suite, the bench and `npm start` publish in a real n8n, built the
 * way a user would build them in the editor: the RevOps Trigger feeding n8n's own nodes.
 */
import { randomUUID } from 'crypto';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import type { AcknowledgeMode } from '../../nodes/RevOpsTrigger/settings';
import { RevOpsTrigger } from '../../nodes/RevOpsTrigger/RevOpsTrigger.node';
import { name as PACKAGE_NAME } from '../../package.json';
import type { WorkflowNode, WorkflowSpec } from './instance';

const { name: NODE_NAME, version, defaultVersion } = new RevOpsTrigger().description;

/** The type n8n gives the node: the package's name and the node's own name. */
export const TRIGGER_TYPE = `${PACKAGE_NAME}.${NODE_NAME}`;

export type { AcknowledgeMode };

/** Every version of the node, oldest first: saved workflows keep theirs. */
export const NODE_VERSIONS = (Array.isArray(version) ? version : [version]) as readonly number[];
export type NodeVersion = (typeof NODE_VERSIONS)[number];
/** The version n8n gives a RevOps Trigger added to a workflow today. */
export const LATEST_NODE_VERSION: NodeVersion =
	defaultVersion ?? NODE_VERSIONS[NODE_VERSIONS.length - 1];
export const TRIGGER_NAME = 'RevOps Trigger';

/** A node that always has an id (the trigger's webhookId is what its URL is made of). */
export type N8nNode = WorkflowNode & { id: string };

/** What a workflow's RevOps Trigger node is saved with; unset fields get the editor's defaults. */
export interface TriggerNodeSpec {
	/** A list of event types, or an expression (`={{ … }}`) as a user may type one. */
	events?: string[] | string;
	/** 'verificationKey' or 'none'; any other text is what a typo in an imported workflow would save. */
	authentication?: string;
	credential?: { id: string; name: string };
	/** An option value of the node's, so a value the node does not offer is a type error. */
	acknowledge?: AcknowledgeMode;
	/** The node's Options collection (`ipAllowlist`, `maxEventAgeMinutes`), values or expressions. */
	options?: Record<string, unknown>;
	/** The node version the workflow saves; the one n8n gives new workflows unless set. */
	typeVersion?: NodeVersion;
}

/** A node with a fresh id; `chain` lays the nodes out, so the position here is a placeholder. */
function n8nNode(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Record<string, unknown>,
): N8nNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters };
}

export function revOpsTrigger(spec: TriggerNodeSpec): N8nNode {
	const authentication = spec.authentication ?? 'verificationKey';
	return {
		...n8nNode(TRIGGER_NAME, TRIGGER_TYPE, spec.typeVersion ?? LATEST_NODE_VERSION, {
			events: spec.events ?? ['*'],
			authentication,
			...(spec.acknowledge === undefined ? {} : { acknowledge: spec.acknowledge }),
			...(spec.options === undefined ? {} : { options: spec.options }),
		}),
		webhookId: randomUUID(),
		// Every Authentication but None verifies, and so carries the credential.
		...(authentication !== 'none' && spec.credential
			? { credentials: { revOpsWebhookApi: spec.credential } }
			: {}),
	};
}

export function noOp(name = 'Received'): N8nNode {
	return n8nNode(name, 'n8n-nodes-base.noOp', 1, {});
}

/** n8n's own Webhook node on `/webhook/<path>`, answering on receipt: the baseline to compare with. */
export function n8nWebhook(path: string): N8nNode {
	return {
		...n8nNode('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, options: {} }),
		webhookId: path,
	};
}

/** n8n's HTTP Request node posting the fields a billing system needs, mapped without code. */
export function postToBilling(url: string, name = 'Create Billing Customer'): N8nNode {
	return n8nNode(name, 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url,
		sendBody: true,
		specifyBody: 'json',
		jsonBody:
			'={{ JSON.stringify({ dedupeKey: $json.dedupeKey, customer: $json.customerName, accountId: $json.accountId, ' +
			'amountMinor: $json.netPrice.minorUnits, amount: $json.netPrice.amount, currency: $json.netPrice.currency, ' +
			'features: $json.enabledFeatureFlags, paymentTerms: $json.terms["Payment Terms"] }) }}',
		sendHeaders: true,
		headerParameters: {
			parameters: [{ name: 'Idempotency-Key', value: '={{ $json.dedupeKey }}' }],
		},
		options: {},
	});
}

/** n8n's Remove Duplicates node, remembering `dedupeKey` across executions in n8n's database. */
export function removeRepeatedDeliveries(name = 'Drop Repeated Deliveries'): N8nNode {
	return n8nNode(name, 'n8n-nodes-base.removeDuplicates', 2, {
		operation: 'removeItemsSeenInPreviousExecutions',
		logic: 'removeItemsWithAlreadySeenKeyValues',
		dedupeValue: '={{ $json.dedupeKey }}',
		options: {},
	});
}

/** n8n's Edit Fields node giving RevOps the text it needs when the answer waits for the workflow. */
export function acknowledgeToRevOps(name = 'Acknowledge to RevOps'): N8nNode {
	return n8nNode(name, 'n8n-nodes-base.set', 3.4, {
		mode: 'manual',
		assignments: {
			assignments: [
				{ id: randomUUID(), name: 'message', value: ACKNOWLEDGEMENT_TEXT, type: 'string' },
			],
		},
		options: {},
	});
}

/** n8n's IF node: items for which `condition` (a boolean expression) is true leave by the first output. */
export function ifTrue(name: string, condition: string): N8nNode {
	return n8nNode(name, 'n8n-nodes-base.if', 2, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
			conditions: [
				{
					id: randomUUID(),
					leftValue: condition,
					rightValue: '',
					operator: { type: 'boolean', operation: 'true', singleValue: true },
				},
			],
			combinator: 'and',
		},
		options: {},
	});
}

/** A straight chain: each node feeds the next. */
export function chain(name: string, nodes: N8nNode[]): WorkflowSpec {
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	> = {};
	nodes.forEach((node, index) => {
		node.position = [index * 250, 0];
		const next = nodes[index + 1];
		if (next) connections[node.name] = { main: [[{ node: next.name, type: 'main', index: 0 }]] };
	});
	return {
		name,
		nodes,
		connections,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	};
}
