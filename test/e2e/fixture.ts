/**
 * What the end-to-end files do with a running n8n: publish a workflow that starts with a RevOps
 * Trigger, send it signed fixtures as RevOps would, read back what the trigger emitted (and in
 * queue mode which worker ran it), and measure how long a new publication answers 404.
 */
import { EXECUTION_QUIET_MS } from '../../tools/n8n/executions';
import type { ExecutionSummary, N8nInstance } from '../../tools/n8n/instance';
import { sleep } from '../../tools/n8n/process';
import { chain, noOp, revOpsTrigger, type N8nNode } from '../../tools/n8n/workflows';
import { sendOnce } from '../../tools/revops/sender';
import { fixtureBytes, TEST_KEY } from '../support/fixtures';
import { README } from '../support/readme-blocks';

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

/** A credential holding TEST_KEY and a published RevOps Trigger → No-Op that uses it. */
export async function publishWithTestKey(
	n8n: N8nInstance,
	name: string,
	credentialName = name,
): Promise<Published> {
	const credential = await n8n.createCredential(credentialName, 'revOpsWebhookApi', {
		verificationSecret: TEST_KEY,
	});
	return await publish(n8n, name, revOpsTrigger({ credential }), noOp());
}

/**
 * The smallest proof that the installed node works: a credential holding TEST_KEY, a published
 * RevOps Trigger → No-Op, one signed deal-signed answered 200, and its one successful run.
 */
export async function publishAndDeliver(
	n8n: N8nInstance,
	name: string,
): Promise<{ workflow: Published; execution: ExecutionSummary }> {
	const workflow = await publishWithTestKey(n8n, name, 'RevOps');
	expect((await signedPost(workflow.url, 'deal-signed.json')).status).toBe(200);
	const [execution] = await n8n.executions(workflow.id, { expected: 1 });
	expect(execution.status).toBe('success');
	return { workflow, execution };
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

/** What RevOps saw while n8n made a workflow live: every answer until the first 200. */
export interface PublishWindow {
	/** When n8n answered the publish (2.x) or activate (1.x) call, from the call. */
	callAnsweredMs: number;
	/** When a delivery was first answered 200, from the call. */
	firstAcceptedMs: number;
	/** Deliveries answered 404 before that. */
	notFound: number;
}

const PUBLISH_WINDOW_LIMIT_MS = 30_000;
/** The README promises the first delivery is accepted within this many seconds of the click; the tests hold n8n to it. */
export const PUBLISH_WINDOW_README_S = 5;
const PUBLISH_WINDOW_POLL_MS = 20;

/**
 * Creates `trigger` → No Operation and asks n8n to publish it through the public API, as the
 * editor's button does, while sending signed deliveries to its Production URL back to back.
 */
export async function measurePublishWindow(
	n8n: N8nInstance,
	trigger: N8nNode,
	rest: N8nNode,
): Promise<PublishWindow> {
	const id = await n8n.createWorkflow(chain('Publish window', [trigger, rest]));
	const url = n8n.webhookUrl(trigger.webhookId as string);
	const started = Date.now();
	let callAnsweredMs: number | undefined;
	const publishing = n8n
		.publicApi('POST', `/workflows/${id}/${n8n.version.startsWith('1.') ? 'activate' : 'publish'}`)
		.then(() => (callAnsweredMs = Date.now() - started));
	let notFound = 0;
	for (;;) {
		const answer = await signedPost(url, 'deal-signed.json');
		if (answer.status === 200) break;
		expect(answer.status).toBe(404);
		notFound += 1;
		if (Date.now() - started > PUBLISH_WINDOW_LIMIT_MS)
			throw new Error(`Still 404 ${PUBLISH_WINDOW_LIMIT_MS} ms after publishing`);
		await sleep(PUBLISH_WINDOW_POLL_MS);
	}
	const firstAcceptedMs = Date.now() - started;
	await publishing;
	expect(README).toContain(`for under ${PUBLISH_WINDOW_README_S} seconds after the click`);
	expect(firstAcceptedMs).toBeLessThan(PUBLISH_WINDOW_README_S * 1000);
	return { callAnsweredMs: callAnsweredMs as number, firstAcceptedMs, notFound };
}

/** Execution ids a worker's log says it ran, from n8n's "Worker started execution <id> (job <n>)". */
export function executionsRunBy(worker: {
	log: { matching(pattern: RegExp): string[] };
}): Set<string> {
	return new Set(
		worker.log
			.matching(/Worker started execution \d+ /)
			.map((line) => /Worker started execution (\d+) /.exec(line)?.[1] as string),
	);
}
