/**
 * The workflows in examples/, put into a running n8n the way a user does it: the file imported
 * as it is, the service URLs replaced, and each credential the file names attached.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { N8nInstance, WorkflowNode, WorkflowSpec } from './instance';
import { TRIGGER_TYPE } from './workflows';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

export interface ExampleWorkflow extends WorkflowSpec {
	id: string;
	nodes: Array<
		WorkflowNode & { credentials?: Record<string, { id: string | null; name: string }> }
	>;
}

export function readExample(file: string): ExampleWorkflow {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
}

/** The RevOps Trigger's webhookId: its production URL is /webhook/<webhookId>/webhook. */
function triggerWebhookId(workflow: ExampleWorkflow): string {
	const trigger = workflow.nodes.find((node) => node.type === TRIGGER_TYPE);
	if (trigger?.webhookId === undefined)
		throw new Error(`${workflow.name} has no RevOps Trigger with a webhookId`);
	return trigger.webhookId;
}

/** Every credential (type and name) the workflow's nodes ask for, once each. */
export function credentialsNamed(workflow: ExampleWorkflow): Array<{ type: string; name: string }> {
	const seen = new Map<string, { type: string; name: string }>();
	for (const node of workflow.nodes) {
		for (const [type, { name }] of Object.entries(node.credentials ?? {}))
			seen.set(`${type}\n${name}`, { type, name });
	}
	return [...seen.values()];
}

export interface ImportOptions {
	/** Real service origin -> the one to call instead, e.g. https://api.stripe.com -> a local stub. */
	origins?: Record<string, string>;
	/** The n8n credential to attach where the file names a credential of this type and name. */
	credential: (type: string, name: string) => { id: string; name: string };
	/** Values for the fields of the example's Settings node, as a user fills them in. */
	settings?: Record<string, string>;
}

type Assignment = { name: string; value: unknown };

/** The example with its Settings node's fields set; a field the node does not have is an error. */
function fillSettings(workflow: ExampleWorkflow, values: Record<string, string>): void {
	const node = workflow.nodes.find((candidate) => candidate.name === 'Settings');
	const assignments = (node?.parameters as { assignments?: { assignments?: Assignment[] } })
		?.assignments?.assignments;
	if (assignments === undefined) throw new Error(`${workflow.name} has no Settings node`);
	for (const [name, value] of Object.entries(values)) {
		const field = assignments.find((assignment) => assignment.name === name);
		if (field === undefined) throw new Error(`${workflow.name}'s Settings have no field ${name}`);
		field.value = value;
	}
}

/** The example as it is once a user has replaced its URLs and picked its credentials. */
function prepareExample(workflow: ExampleWorkflow, options: ImportOptions): ExampleWorkflow {
	let text = JSON.stringify(workflow);
	for (const [real, replacement] of Object.entries(options.origins ?? {}))
		text = text.split(real).join(replacement);
	const prepared = JSON.parse(text) as ExampleWorkflow;
	if (options.settings !== undefined) fillSettings(prepared, options.settings);
	for (const node of prepared.nodes) {
		if (node.credentials === undefined) continue;
		node.credentials = Object.fromEntries(
			Object.entries(node.credentials).map(([type, { name }]) => [
				type,
				options.credential(type, name),
			]),
		);
	}
	return prepared;
}

/** Imports (or replaces) the example under its own id and publishes it. Returns its production URL. */
/** Saves the example under its own id, prepared as a user would, without publishing it. */
export async function importWorkflow(
	n8n: N8nInstance,
	workflow: ExampleWorkflow,
	options: ImportOptions,
): Promise<ExampleWorkflow> {
	const prepared = prepareExample(workflow, options);
	await n8n.upsertWorkflow(prepared.id, {
		name: prepared.name,
		nodes: prepared.nodes as WorkflowNode[],
		connections: prepared.connections,
		settings: prepared.settings,
	});
	return prepared;
}

export async function importAndPublish(
	n8n: N8nInstance,
	workflow: ExampleWorkflow,
	options: ImportOptions,
): Promise<string> {
	const prepared = await importWorkflow(n8n, workflow, options);
	await n8n.activate(prepared.id);
	return n8n.webhookUrl(triggerWebhookId(prepared));
}
