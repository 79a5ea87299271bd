/**
 * Load: many distinct signed events from concurrent senders against a real n8n 2.41.1.
 * `npm test` runs a small load; `npm run test:load` the full 2,000 events from 20 senders.
 * Figures are printed, not asserted: only correctness (every event acknowledged and run once,
 * nothing lost) decides pass or fail. The same events are first sent to n8n's own Webhook node
 * in the same n8n, and the trigger's rate is printed as a ratio of that baseline.
 */
import { randomUUID } from 'crypto';

import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import { residentMiB } from '../../tools/load/memory';
import { streamEvents } from '../../tools/load/stream';
import { freshEvent, loadSample } from '../../tools/revops/samples';
import { TEST_KEY } from '../support/fixtures';
import { chain, n8nWebhook, noOp, revOpsTrigger } from '../support/workflows';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';

jest.setTimeout(1_800_000);

const EVENTS = Number(process.env.REVOPS_LOAD_EVENTS ?? 200);
const SENDERS = Number(process.env.REVOPS_LOAD_SENDERS ?? 20);
const SAMPLES = ['deal-signed', 'deal-updated', 'account-updated', 'deal-active'];

describe(`load: ${EVENTS} signed events from ${SENDERS} senders, n8n 2.41.1`, () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ version: '2.41.1', tarball: await packedTarball() });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	printLogTailOnFailure(() => n8n);

	it('acknowledges every event, runs each exactly once and loses none', async () => {
		const credential = await n8n.createCredential('RevOps', 'revOpsWebhookApi', { verificationKey: TEST_KEY });
		const trigger = revOpsTrigger({ credential });
		const workflowId = await n8n.createWorkflow(chain('Load', [trigger, noOp()]));
		await n8n.activate(workflowId);

		const ids = Array.from({ length: EVENTS }, () => randomUUID());
		const events = ids.map((id, index) => freshEvent(loadSample(SAMPLES[index % SAMPLES.length]), { id }));

		const baselinePath = randomUUID();
		const baselineId = await n8n.createWorkflow(chain("Baseline: n8n's Webhook node", [n8nWebhook(baselinePath), noOp()]));
		await n8n.activate(baselineId);
		const baseline = await streamEvents({
			events,
			concurrency: SENDERS,
			delivery: { url: `${n8n.baseUrl}/webhook/${baselinePath}`, retries: 0 },
		});
		await n8n.executions(baselineId, { expected: EVENTS, timeoutMs: 600_000 });
		await n8n.deactivate(baselineId);

		const memoryBefore = residentMiB(n8n.pid);
		const report = await streamEvents({
			events,
			concurrency: SENDERS,
			delivery: { url: n8n.webhookUrl(trigger.webhookId as string), key: TEST_KEY, retries: 0 },
		});
		const executions = await n8n.executions(workflowId, { expected: report.delivered, timeoutMs: 600_000 });
		const memoryAfter = residentMiB(n8n.pid);

		const seen = executions.map((execution) => execution.itemsByNode['RevOps Trigger'][0].eventId as string);
		const lost = ids.filter((id) => !seen.includes(id));
		const rate = (report.sent / report.elapsedMs) * 1000;
		const baselineRate = (baseline.sent / baseline.elapsedMs) * 1000;
		console.log(
			[
				`baseline, n8n's Webhook node: ${baseline.sent} events in ${(baseline.elapsedMs / 1000).toFixed(1)} s (${baselineRate.toFixed(1)} events/s), answers ${JSON.stringify(baseline.statuses)}`,
				`RevOps Trigger: ${report.sent} signed events from ${SENDERS} senders in ${(report.elapsedMs / 1000).toFixed(1)} s (${rate.toFixed(1)} events/s), ${(rate / baselineRate).toFixed(2)}x the baseline`,
				`answers ${JSON.stringify(report.statuses)}, acknowledged ${report.delivered}`,
				`latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, max ${report.latencyMs.max} ms`,
				`executions ${executions.length} (${executions.filter((execution) => execution.status === 'success').length} successful), lost ${lost.length}`,
				`n8n resident memory ${memoryBefore} MiB before, ${memoryAfter} MiB after`,
			].join('\n'),
		);
		expect(report.statuses).toEqual({ '200': EVENTS });
		expect(report.delivered).toBe(EVENTS);
		expect(executions).toHaveLength(EVENTS);
		expect(new Set(seen).size).toBe(EVENTS);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		expect(lost).toEqual([]);
	});
});
