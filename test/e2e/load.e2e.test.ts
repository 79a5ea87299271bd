/**
 * Load: many distinct signed events from concurrent senders against a real n8n 2.41.1, in one
 * process and in queue mode (webhook process, two workers, PostgreSQL, Redis), the same events
 * for both, printed side by side. `npm test` runs a small load on both; `npm run test:load` the
 * full 2,000 events from 20 senders on one process, `npm run test:load:queue` 1,000 on both.
 * REVOPS_LOAD_TOPOLOGY=single|queue|both picks the topologies.
 * Figures are printed, not asserted: only correctness (every event acknowledged and run once,
 * nothing lost) decides pass or fail. In one process the same events are first sent to n8n's
 * own Webhook node, and the trigger's rate is printed as a ratio of that baseline.
 */
import { randomUUID } from 'crypto';

import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import { startN8nQueue, type N8nQueue } from '../../tools/n8n/queue';
import { groupResidentMiB } from '../../tools/load/memory';
import { streamEvents, type StreamReport } from '../../tools/load/stream';
import { freshEvent, loadSample } from '../../tools/revops/samples';
import { TEST_KEY } from '../support/fixtures';
import { chain, n8nWebhook, noOp, revOpsTrigger } from '../support/workflows';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';

jest.setTimeout(1_800_000);

const EVENTS = Number(process.env.REVOPS_LOAD_EVENTS ?? 200);
const SENDERS = Number(process.env.REVOPS_LOAD_SENDERS ?? 20);
const TOPOLOGY = process.env.REVOPS_LOAD_TOPOLOGY ?? 'both';
const SAMPLES = ['deal-signed', 'deal-updated', 'account-updated', 'deal-active'];

const ids = Array.from({ length: EVENTS }, () => randomUUID());
const events = ids.map((id, index) => freshEvent(loadSample(SAMPLES[index % SAMPLES.length]), { id }));

interface Figures {
	report: StreamReport;
	executions: number;
	lost: number;
	/** Resident MiB per process (group), after the run. */
	memory: Record<string, number>;
}

const figures: Record<string, Figures> = {};

const rate = (report: StreamReport) => (report.sent / report.elapsedMs) * 1000;

/** Sends the events to the trigger, checks every one was acknowledged and run once, and keeps the figures. */
async function loadTrigger(n8n: N8nInstance, topology: string, memory: () => Record<string, number>): Promise<Figures> {
	const credential = await n8n.createCredential('RevOps', 'revOpsWebhookApi', { verificationKey: TEST_KEY });
	const trigger = revOpsTrigger({ credential });
	const workflowId = await n8n.createWorkflow(chain('Load', [trigger, noOp()]));
	await n8n.activate(workflowId);

	const report = await streamEvents({
		events,
		concurrency: SENDERS,
		delivery: { url: n8n.webhookUrl(trigger.webhookId as string), key: TEST_KEY, retries: 0 },
	});
	const executions = await n8n.executions(workflowId, { expected: report.delivered, timeoutMs: 600_000 });
	const seen = executions.map((execution) => execution.itemsByNode['RevOps Trigger'][0].eventId as string);
	const result = { report, executions: executions.length, lost: ids.filter((id) => !seen.includes(id)).length, memory: memory() };
	figures[topology] = result;
	console.log(
		[
			`${topology}, RevOps Trigger: ${report.sent} signed events from ${SENDERS} senders in ${(report.elapsedMs / 1000).toFixed(1)} s (${rate(report).toFixed(1)} events/s)`,
			`answers ${JSON.stringify(report.statuses)}, acknowledged ${report.delivered}`,
			`latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, max ${report.latencyMs.max} ms`,
			`executions ${executions.length} (${executions.filter((execution) => execution.status === 'success').length} successful), lost ${result.lost}`,
			`resident memory after the run (MiB, with task runners): ${JSON.stringify(result.memory)}`,
		].join('\n'),
	);
	expect(report.statuses).toEqual({ '200': EVENTS });
	expect(report.delivered).toBe(EVENTS);
	expect(executions).toHaveLength(EVENTS);
	expect(new Set(seen).size).toBe(EVENTS);
	expect(executions.every((execution) => execution.status === 'success')).toBe(true);
	expect(result.lost).toBe(0);
	return result;
}

afterAll(() => {
	const rows = Object.entries(figures);
	if (rows.length < 2) return;
	const line = ([topology, result]: [string, Figures]) =>
		`${topology.padEnd(16)} ${rate(result.report).toFixed(1).padStart(9)} ${String(result.report.latencyMs.p50).padStart(8)} ${String(result.report.latencyMs.p95).padStart(8)} ` +
		`${String(result.executions).padStart(10)} ${String(result.lost).padStart(4)}   ${Object.entries(result.memory).map(([name, mib]) => `${name} ${mib}`).join(', ')}`;
	console.log(
		[
			`side by side, the same ${EVENTS} signed events from ${SENDERS} senders, one run:`,
			`${'topology'.padEnd(16)} ${'events/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'executions'.padStart(10)} lost   resident MiB`,
			...rows.map(line),
		].join('\n'),
	);
});

(TOPOLOGY === 'single' || TOPOLOGY === 'both' ? describe : describe.skip)(`load: ${EVENTS} signed events from ${SENDERS} senders, n8n 2.41.1 in one process`, () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ version: '2.41.1', tarball: await packedTarball() });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	printLogTailOnFailure(() => n8n);

	it('acknowledges every event, runs each exactly once and loses none', async () => {
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
		console.log(
			`baseline, n8n's Webhook node: ${baseline.sent} events in ${(baseline.elapsedMs / 1000).toFixed(1)} s (${rate(baseline).toFixed(1)} events/s), answers ${JSON.stringify(baseline.statuses)}`,
		);

		const single = await loadTrigger(n8n, 'one process', () => ({ n8n: groupResidentMiB(n8n.pid) }));
		console.log(`RevOps Trigger in one process: ${(rate(single.report) / rate(baseline)).toFixed(2)}x the baseline`);
	});
});

(TOPOLOGY === 'queue' || TOPOLOGY === 'both' ? describe : describe.skip)(`load: ${EVENTS} signed events from ${SENDERS} senders, n8n 2.41.1 in queue mode`, () => {
	let queue: N8nQueue;

	beforeAll(async () => {
		queue = await startN8nQueue({ tarball: await packedTarball() });
	});

	afterAll(async () => {
		await queue?.stop();
	});

	printLogTailOnFailure(() => queue);

	it('acknowledges every event through the webhook process, runs each exactly once on the workers and loses none', async () => {
		await loadTrigger(queue, 'queue mode', () => ({
			main: groupResidentMiB(queue.main.pid),
			webhook: groupResidentMiB(queue.webhook.pid),
			...Object.fromEntries(queue.workers.map((worker) => [worker.role, groupResidentMiB(worker.pid)])),
			postgres: groupResidentMiB(queue.postgres.pid),
			redis: groupResidentMiB(queue.redis.pid),
		}));
	});
});
