/**
 * One fault scenario: a stream of distinct signed deal-signed events, sent as RevOps sends them
 * (retries with a shrunk interval), into a workflow that bills each through n8n's HTTP Request
 * node with the item's dedupeKey as Idempotency-Key; `disrupt` runs once `disruptAfter` events
 * have been delivered. Counts what RevOps saw, what n8n ran and what billing charged, prints
 * it, and returns it for the test to assert on. Used in one n8n and in queue mode alike.
 */
import { randomUUID } from 'crypto';

import type { N8nInstance } from '../../tools/n8n/instance';
import { sleep } from '../../tools/n8n/process';
import { streamEvents, type StreamReport } from '../../tools/load/stream';
import { freshEvent, loadSample } from '../../tools/revops/samples';
import type { BillingStub } from '../support/services/billing';
import { TEST_KEY } from '../support/fixtures';
import {
	acknowledgeToRevOps,
	postToBilling,
	revOpsTrigger,
	type AcknowledgeMode,
} from '../../tools/n8n/workflows';
import { publish } from './fixture';

export interface FaultScenario {
	label: string;
	n8n: N8nInstance;
	billing: BillingStub;
	credential: { id: string; name: string };
	acknowledge: AcknowledgeMode;
	events: number;
	senders: number;
	retryIntervalMs: number;
	disruptAfter: number;
	disrupt: () => Promise<void>;
}

export interface FaultFigures {
	report: StreamReport;
	executionsByStatus: Record<string, number>;
	/** Acknowledged to RevOps but never charged. */
	lost: string[];
	/** Events without any successful execution. */
	withoutSuccess: string[];
	/** This scenario's events charged (a run an earlier scenario left behind may bill meanwhile). */
	charged: number;
	/** Billing calls for an event already charged, absorbed by the idempotency key. */
	billedRepeats: number;
}

/** Statuses of executions that may still end; a killed worker's stay so until n8n gives up on them. */
const UNSETTLED = new Set(['new', 'running', 'waiting']);
const SETTLE_TIMEOUT_MS = 60_000;
const STABLE_FOR_MS = 8_000;
/** Executions that did not succeed, counted by status and error: the first few kinds say enough. */
const UNSUCCESSFUL_SHOWN = 5;

export async function runFaultScenario(scenario: FaultScenario): Promise<FaultFigures> {
	const { n8n, billing } = scenario;
	const progress = (line: string): void => {
		process.stdout.write(`  [fault] ${scenario.label}: ${line}\n`);
	};
	billing.reset();
	const trigger = revOpsTrigger({
		credential: scenario.credential,
		acknowledge: scenario.acknowledge,
	});
	const rest =
		scenario.acknowledge === 'whenWorkflowSucceeds'
			? [postToBilling(billing.url), acknowledgeToRevOps()]
			: [postToBilling(billing.url)];
	const { id: workflowId, url } = await publish(n8n, scenario.label, trigger, ...rest);

	const ids = Array.from({ length: scenario.events }, () => randomUUID());
	let disruption: Promise<void> | undefined;
	const report = await streamEvents({
		events: ids.map((id) => freshEvent(loadSample('deal-signed'), { id })),
		concurrency: scenario.senders,
		delivery: {
			url,
			key: TEST_KEY,
			retries: 5,
			retryIntervalMs: scenario.retryIntervalMs,
		},
		onDelivered: (done) => {
			if (done % Math.ceil(scenario.events / 4) === 0)
				progress(`${done}/${scenario.events} events delivered`);
			if (done === scenario.disruptAfter) {
				progress('disrupting now');
				disruption = scenario.disrupt().then(() => progress('disruption over'));
			}
		},
	});
	await disruption;

	// Executions still running may yet bill. Wait until none is, or (a killed worker's runs stay
	// "new" or "running") until nothing has changed for a while, within a bound.
	let executions = await n8n.executions(workflowId);
	const deadline = Date.now() + SETTLE_TIMEOUT_MS;
	const state = () =>
		`${billing.received.length} ${executions.map((execution) => execution.status).join()}`;
	let last = state();
	let unchangedSince = Date.now();
	while (
		executions.some((execution) => UNSETTLED.has(execution.status)) &&
		Date.now() < deadline &&
		Date.now() - unchangedSince < STABLE_FOR_MS
	) {
		await sleep(1000);
		executions = await n8n.executions(workflowId);
		if (state() !== last) [last, unchangedSince] = [state(), Date.now()];
	}
	const executionsByStatus: Record<string, number> = {};
	for (const execution of executions)
		executionsByStatus[execution.status] = (executionsByStatus[execution.status] ?? 0) + 1;
	const succeeded = new Set(
		executions
			.filter((execution) => execution.status === 'success')
			.map((execution) => execution.itemsByNode['RevOps Trigger'][0].eventId as string),
	);
	const billed = (id: string): boolean => billing.charged.has(`deal-signed:id:${id}`);
	const acknowledged = ids.filter((_, index) => report.deliveredByEvent[index]);
	const lost = acknowledged.filter((id) => !billed(id));
	const withoutSuccess = ids.filter((id) => !succeeded.has(id));
	// A run an earlier scenario left queued may still bill while this one runs: not this one's.
	const charged = ids.filter(billed).length;
	const unsuccessful: Record<string, number> = {};
	for (const execution of executions.filter(({ status }) => status !== 'success')) {
		const what = `${execution.status}${execution.error === undefined ? '' : `, ${execution.error}`}`;
		unsuccessful[what] = (unsuccessful[what] ?? 0) + 1;
	}
	console.log(
		[
			`${scenario.label}`,
			`  sent ${report.sent}, acknowledged ${report.delivered}, attempts ${report.attempts} (retried ${report.retried})`,
			`  answers by status ${JSON.stringify(report.statuses)}`,
			`  executions ${executions.length} by status ${JSON.stringify(executionsByStatus)}`,
			`  billing calls ${billing.received.length}, billed ${charged} of these events (${billing.charged.size - charged} others), repeats absorbed by the idempotency key ${billing.repeatedKeys}`,
			`  lost (acknowledged, never billed) ${lost.length}, events without a successful execution ${withoutSuccess.length}`,
			...Object.entries(unsuccessful)
				.slice(0, UNSUCCESSFUL_SHOWN)
				.map(([what, count]) => `  ${count} executions ${what}`),
		].join('\n'),
	);
	return {
		report,
		executionsByStatus,
		lost,
		withoutSuccess,
		charged,
		billedRepeats: billing.repeatedKeys,
	};
}
