/**
 * One example workflow in a real n8n, calling its services under their real hostnames: the
 * services are stubs behind an intercepting proxy (test/support/services), the file is
 * imported as it is, its credentials attached, published, and fed signed RevOps deliveries.
 */
import { randomUUID } from 'node:crypto';

import { ACKNOWLEDGEMENT_TEXT, CREDENTIAL_TYPE } from '../../nodes/RevOpsTrigger/description';
import {
	credentialsNamed,
	importAndPublish,
	importWorkflow,
	readExample,
	type ImportOptions,
} from '../../tools/n8n/examples';
import { EXECUTION_QUIET_MS, type ExecutionSummary } from '../../tools/n8n/executions';
import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import type { N8nVersion } from '../../tools/n8n/install';
import { sleep } from '../../tools/n8n/process';
import { sendOnce } from '../../tools/revops/sender';
import { fixtureBytes, fixtureNames, jsonBytes, TEST_KEY } from '../support/fixtures';
import { startServiceProxy, type ServiceProxy } from '../support/services/proxy';
import type { StubService } from '../support/services/service';
import type { SlackMessage, SlackStub } from '../support/services/slack';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';

/** n8n's app nodes the examples use exist in both; every example runs on both. */
export const EXAMPLE_VERSIONS: N8nVersion[] = ['2.41.1', '1.123.81'];

/**
 * The data of each service credential type the example names, by type (the stubs check these
 * secrets); a function for data that depends on the running n8n (its API key, say). The RevOps
 * credential is the harness's own: it holds TEST_KEY, which it signs with.
 */
export type CredentialData = Record<
	string,
	Record<string, unknown> | ((n8n: N8nInstance) => Record<string, unknown>)
>;

/** The alert workflow a test can pick as the example's error workflow (n8n's Workflow settings). */
export const ERROR_WORKFLOW = 'revops-error-alert.json';

/** The alert workflow's placeholder channel, as a user who has not changed it yet would run it. */
export const ALERT_CHANNEL = 'CREPLACEME';

/** What n8n's "n8n API" credential needs to reach this n8n's public API. */
export const n8nApiCredential = (n8n: N8nInstance): Record<string, unknown> => ({
	apiKey: n8n.apiKey,
	baseUrl: `${n8n.baseUrl}/api/v1`,
});

export interface Delivery {
	/** null when RevOps would have timed out. */
	status: number | null;
	body: string;
	/** The execution the delivery started, once it finished. */
	execution: ExecutionSummary;
}

export interface ExampleUnderTest {
	/** Sends one body as RevOps does, signed, and waits for the execution it starts to finish. */
	deliver(body: Buffer): Promise<Delivery>;
	/** Sends one body as RevOps does, signed, and returns the answer without waiting for an execution. */
	send(body: Buffer): Promise<Omit<Delivery, 'execution'>>;
	/**
	 * Sends deliveries of events the example does not listen to: RevOps must get its 200 and
	 * the acknowledgement for each, and no execution may start within the quiet period after.
	 */
	expectIgnored(...bodies: Buffer[]): Promise<void>;
	/** `expectIgnored` for every fixture in test/fixtures/ but the named ones; returns how many. */
	expectFixturesIgnoredExcept(selected: string[]): Promise<number>;
	/**
	 * Requests the workflow sent to hosts that have no stub (refused: the tests never leave
	 * 127.0.0.1). n8n's own calls home, to api.n8n.io, are refused too but are not the example's.
	 */
	refusedHosts(): string[];
	n8n(): N8nInstance;
	/** The example workflow's name, as n8n and its alerts show it. */
	workflowName: string;
	/** Saves and publishes the example again with these Settings fields changed, as a user editing them. */
	republish(settings: Record<string, string>): Promise<void>;
}

/**
 * Registers beforeAll/afterAll for one example file: proxy and stubs, n8n with the packed
 * package, the example published.
 */
export function useExample(
	file: string,
	services: StubService[],
	credentialData: CredentialData,
	version: N8nVersion,
	options: { withErrorWorkflow?: boolean; settings?: Record<string, string> } = {},
): ExampleUnderTest {
	let n8n: N8nInstance | undefined;
	let proxy: ServiceProxy | undefined;
	let url = '';
	const workflow = readExample(file);
	const errorWorkflow =
		options.withErrorWorkflow === true ? readExample(ERROR_WORKFLOW) : undefined;
	let credentialOf: ImportOptions['credential'] | undefined;

	beforeAll(async () => {
		proxy = await startServiceProxy(services);
		const started = await startN8n({ version, tarball: await packedTarball(), env: proxy.env });
		n8n = started;
		const dataOf = (type: string) => {
			const data =
				type === CREDENTIAL_TYPE ? { verificationSecret: TEST_KEY } : credentialData[type];
			if (data === undefined) throw new Error(`No credential data given for type ${type}`);
			return typeof data === 'function' ? data(started) : data;
		};
		const credentials = new Map<string, { id: string; name: string }>();
		const needed = [workflow, errorWorkflow].flatMap((each) =>
			each === undefined ? [] : credentialsNamed(each),
		);
		for (const { type, name } of needed)
			if (!credentials.has(type))
				credentials.set(type, await started.createCredential(name, type, dataOf(type)));
		const credential = (type: string) => {
			const found = credentials.get(type);
			if (found === undefined) throw new Error(`No credential of type ${type}`);
			return found;
		};
		// As a user does: import the alert workflow, then pick it in the example's Workflow settings.
		// n8n 2.x runs only a published error workflow ("Workflow ... is not active and cannot be
		// executed" in its log otherwise); n8n 1.x runs it unpublished.
		if (errorWorkflow !== undefined) {
			await importWorkflow(started, errorWorkflow, { credential });
			if (!version.startsWith('1.')) await started.activate(errorWorkflow.id);
			workflow.settings = { ...workflow.settings, errorWorkflow: errorWorkflow.id };
		}
		url = await importAndPublish(started, workflow, { credential, settings: options.settings });
		credentialOf = credential;
	});

	afterAll(async () => {
		await n8n?.stop();
		await proxy?.stop();
	});

	printLogTailOnFailure(() => n8n);

	const running = (): N8nInstance => {
		if (n8n === undefined) throw new Error('n8n did not start');
		return n8n;
	};

	/** One signed delivery, as RevOps sends it. */
	const send = async (body: Buffer) => {
		const answer = await sendOnce(body, { url, key: TEST_KEY, timeoutMs: 30_000 });
		return { status: answer.status, body: answer.body };
	};

	return {
		n8n: running,
		workflowName: workflow.name,
		async republish(settings) {
			const n8n = running();
			await n8n.deactivate(workflow.id);
			await importAndPublish(n8n, workflow, {
				credential:
					credentialOf ??
					(() => {
						throw new Error('n8n did not start');
					}),
				settings: { ...options.settings, ...settings },
			});
		},
		refusedHosts: () =>
			(proxy?.refused ?? []).filter((request) => !request.includes('://api.n8n.io/')),
		async expectIgnored(...bodies) {
			const before = (await running().executions(workflow.id)).length;
			for (const body of bodies) {
				const answer = await send(body);
				expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
			}
			// Throws if a run appears within the quiet period.
			await running().executions(workflow.id, { expected: before, quietMs: EXECUTION_QUIET_MS });
		},
		async expectFixturesIgnoredExcept(selected) {
			const others = fixtureNames().filter(
				(name) => !selected.includes(name.replace(/\.json$/, '')),
			);
			await this.expectIgnored(...others.map((name) => fixtureBytes(name)));
			return others.length;
		},
		send,
		async deliver(body) {
			const before = (await running().executions(workflow.id)).length;
			const answer = await send(body);
			const executions = await running().executions(workflow.id, {
				expected: before + 1,
				timeoutMs: 90_000,
			});
			const [execution] = [...executions].sort((a, b) => Number(b.id) - Number(a.id));
			return { status: answer.status, body: answer.body, execution: execution! };
		},
	};
}

/** Polls `condition` every 200 ms until it holds; throws, naming `what`, after `timeoutMs`. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`No ${what} within ${timeoutMs} ms`);
		await sleep(200);
	}
}

/**
 * Delivers `body` three times, as RevOps' first delivery and two of its retries (the same bytes,
 * so the same dedupeKey), each run failing on the failures `failRun` queues, and returns the
 * Slack messages the error workflow posted that contain `about`, once n8n had time to post more.
 */
export async function alertsAfterThreeFailedRuns(
	example: ExampleUnderTest,
	slack: SlackStub,
	body: Buffer,
	failRun: () => void,
	about: string,
): Promise<SlackMessage[]> {
	const alerts = () => slack.messages.filter((message) => message.display.includes(about));
	for (let attempt = 0; attempt < 3; attempt += 1) {
		failRun();
		expectRetried(await example.deliver(body));
		await waitFor(() => alerts().length > 0, 'the alert in Slack');
	}
	// n8n runs the error workflow after the failed run: wait as long as one takes to start.
	await sleep(EXECUTION_QUIET_MS);
	return alerts();
}

/**
 * The one alert `alertsAfterThreeFailedRuns` found: in ALERT_CHANNEL, reading
 * `RevOps <subject> failed in "<the example's name>": ` and the reason (`subject`: a pattern).
 */
export function expectOneAlert(
	alerts: SlackMessage[],
	example: ExampleUnderTest,
	subject: string,
): void {
	const name = example.workflowName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	expect(alerts.map((message) => [message.channel, message.display])).toEqual([
		[ALERT_CHANNEL, expect.stringMatching(new RegExp(`^RevOps ${subject} failed in "${name}": `))],
	]);
}

/** The run succeeded and RevOps was answered 200 with the acknowledgement: it will not deliver again. */
export function expectAcknowledged(delivery: Delivery): void {
	expect([delivery.execution.status, delivery.execution.error]).toEqual(['success', undefined]);
	expect(delivery.status).toBe(200);
	expect(delivery.body).toContain(ACKNOWLEDGEMENT_TEXT);
}

/** The run failed (with `reason`, when given) and RevOps was answered with an error: it delivers again. */
export function expectRetried(delivery: Delivery, reason?: RegExp): void {
	expect(delivery.execution.status).toBe('error');
	if (reason !== undefined) expect(delivery.execution.error).toMatch(reason);
	expect(delivery.status).not.toBe(200);
	expect(delivery.body).not.toContain(ACKNOWLEDGEMENT_TEXT);
}

/**
 * RevOps reporting a signed deal again later: an update in the body-wrapped shape with no
 * event.type, which the trigger infers as deal-signed with a new event id and dedupeKey.
 */
export async function deliverReReport(example: ExampleUnderTest, deal: unknown): Promise<Delivery> {
	const delivery = await example.deliver(
		jsonBytes({ body: { event: { id: randomUUID(), time: Math.floor(Date.now() / 1000) }, deal } }),
	);
	expect(delivery.execution.itemsByNode['RevOps Trigger']?.[0]).toMatchObject({
		eventType: 'deal-signed',
		eventTypeInferred: true,
	});
	return delivery;
}
