/**
 * What the end-to-end files do with a running n8n: publish a workflow that starts with a RevOps
 * Trigger, send it signed fixtures as RevOps would, and read back what the trigger emitted.
 */
import { EXECUTION_QUIET_MS } from '../../tools/n8n/executions';
import type { N8nInstance } from '../../tools/n8n/instance';
import { chain, type N8nNode } from '../../tools/n8n/workflows';
import { sendOnce } from '../../tools/revops/sender';
import { fixtureBytes, TEST_KEY } from '../support/fixtures';

/** A published workflow and its trigger's Production URL. */
export interface Published {
	id: string;
	url: string;
}

/** Creates the workflow `trigger` → `rest`, publishes it, and returns once its webhook is live. */
export async function publish(
	n8n: N8nInstance,
	name: string,
	trigger: N8nNode,
	...rest: N8nNode[]
): Promise<Published> {
	const id = await n8n.createWorkflow(chain(name, [trigger, ...rest]));
	await n8n.activate(id);
	return { id, url: n8n.webhookUrl(trigger.webhookId as string) };
}

/** One POST of a fixture, signed with TEST_KEY, within RevOps' 30 s. */
export const signedPost = (url: string, file: string, headers: Record<string, string> = {}) =>
	sendOnce(fixtureBytes(file), { url, key: TEST_KEY, headers, timeoutMs: 30_000 });

/**
 * Items the trigger emitted, oldest execution first, every execution successful. A test that
 * also sent deliveries that must start nothing passes `quiet`, so a late run of one is seen.
 */
export async function triggerItems(
	n8n: N8nInstance,
	workflow: Published,
	expected: number,
	quiet?: 'quiet',
): Promise<Array<Record<string, unknown>>> {
	const executions = await n8n.executions(workflow.id, {
		expected,
		timeoutMs: 60_000,
		quietMs: quiet ? EXECUTION_QUIET_MS : 0,
	});
	expect(executions).toHaveLength(expected);
	for (const execution of executions) expect(execution.status).toBe('success');
	return executions
		.sort((a, b) => Number(a.id) - Number(b.id))
		.flatMap((execution) => execution.itemsByNode['RevOps Trigger']);
}
