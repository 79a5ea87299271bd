/**
 * Fault: n8n 2.41.1 is killed with SIGKILL in the middle of a stream of signed events and
 * started again, while the sender retries as RevOps does (interval shrunk from 1 hour). With
 * "Acknowledge: When Workflow Succeeds" no event RevOps was told about is lost, and the billing
 * call's Idempotency-Key (the item's dedupeKey) keeps repeats from charging twice.
 */
import { randomUUID } from 'crypto';

import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import { streamEvents } from '../../tools/load/stream';
import { freshEvent, loadSample } from '../../tools/revops/samples';
import { BillingStub } from '../support/services/billing';
import { TEST_KEY } from '../support/fixtures';
import { acknowledgeToRevOps, postToBilling, revOpsTrigger } from '../../tools/n8n/workflows';
import { runFaultScenario } from './fault-run';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';
import { publish } from './fixture';

jest.setTimeout(900_000);

const EVENTS = 300;
const SENDERS = 10;
const KILL_AFTER = 100;
/** RevOps waits an hour between attempts; long enough here to outlast n8n's restart (~15 s). */
const RETRY_INTERVAL_MS = 8_000;

describe('fault: SIGKILL mid-stream, n8n 2.41.1', () => {
	let n8n: N8nInstance;
	const billing = new BillingStub();

	beforeAll(async () => {
		await billing.serve();
		n8n = await startN8n({ version: '2.41.1', tarball: await packedTarball() });
	});

	afterAll(async () => {
		await n8n?.stop();
		await billing.close();
	});

	printLogTailOnFailure(() => n8n);

	it('loses no event and charges each exactly once across a crash and restart', async () => {
		const credential = await n8n.createCredential('RevOps', 'revOpsWebhookApi', {
			verificationSecret: TEST_KEY,
		});
		const figures = await runFaultScenario({
			label: 'SIGKILL of n8n mid-stream, then restart (When Workflow Succeeds)',
			n8n,
			billing,
			credential,
			acknowledge: 'whenWorkflowSucceeds',
			events: EVENTS,
			senders: SENDERS,
			retryIntervalMs: RETRY_INTERVAL_MS,
			disruptAfter: KILL_AFTER,
			disrupt: async () => {
				n8n.kill();
				await n8n.restart();
			},
		});
		expect(figures.report.retried).toBeGreaterThan(0);
		expect(figures.report.delivered).toBe(EVENTS);
		expect(figures.lost).toEqual([]);
		expect(figures.withoutSuccess).toEqual([]);
		expect(figures.charged).toBe(EVENTS);
	});

	it('carries events through a failing billing system with RevOps-style retries, billing each once', async () => {
		billing.reset();
		const credential = await n8n.createCredential('RevOps retry', 'revOpsWebhookApi', {
			verificationSecret: TEST_KEY,
		});
		const trigger = revOpsTrigger({ credential, acknowledge: 'whenWorkflowSucceeds' });
		const { id: workflowId, url } = await publish(
			n8n,
			'Bill while billing fails',
			trigger,
			postToBilling(billing.url),
			acknowledgeToRevOps(),
		);

		const ids = Array.from({ length: 20 }, () => randomUUID());
		billing.failNextCalls(15);
		const report = await streamEvents({
			events: ids.map((id) => freshEvent(loadSample('deal-active'), { id })),
			concurrency: 4,
			delivery: {
				url,
				key: TEST_KEY,
				retries: 5,
				retryIntervalMs: 300,
			},
		});
		const executions = await n8n.executions(workflowId, {
			expected: report.attempts,
			timeoutMs: 120_000,
		});
		console.log(
			`retry on failure: sent ${report.sent}, acknowledged ${report.delivered}, answers ${JSON.stringify(report.statuses)}, ` +
				`executions ${executions.length}, billing calls ${billing.received.length}, charged ${billing.charged.size}`,
		);
		expect(report.statuses['500']).toBe(15);
		expect(report.delivered).toBe(ids.length);
		expect([...billing.charged].sort()).toEqual(ids.map((id) => `deal-active:id:${id}`).sort());
		// Every event charged once, after the 15 calls billing refused.
		expect(billing.received).toHaveLength(ids.length + 15);
		expect(billing.repeatedKeys).toBe(0);
	});
});
