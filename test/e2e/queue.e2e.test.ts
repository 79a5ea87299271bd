/**
 * Queue mode, as teams run n8n at scale: PostgreSQL 17, Redis (append-only), main with
 * production webhooks off, one `n8n webhook` process that RevOps delivers to, and two workers.
 * One set is started for the whole file: the full trigger suite runs against it unchanged,
 * then what only queue mode has (the package in every process, executions on workers), then
 * a small load. Faults (processes killed mid-stream) run in scale-out.e2e.test.ts, with nginx
 * in front of two webhook processes.
 */
import { randomUUID } from 'crypto';
import { renameSync } from 'fs';
import { join } from 'path';

import { name as PACKAGE_NAME } from '../../package.json';
import { startN8nQueue, type N8nQueue, type QueueProcess } from '../../tools/n8n/queue';
import { streamEvents } from '../../tools/load/stream';
import { freshEvent, loadSample } from '../../tools/revops/samples';
import { TEST_KEY } from '../support/fixtures';
import { NODE_VERSIONS, noOp, revOpsTrigger } from '../../tools/n8n/workflows';
import { loadEvents, loadTrigger, queueProcessGroups } from './load-run';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';
import { SUITE_N8N_ENV, triggerSuite } from './trigger-suite';
import { executionsRunBy, measurePublishWindow, publish, signedPost } from './fixture';
import { expectQuoted } from '../support/troubleshooting';

jest.setTimeout(900_000);

/** A small load in `npm test`; `npm run test:load:queue` sends 1,000 side by side with one process. */
const LOAD_EVENTS = 100;
const LOAD_SENDERS = 20;

let queue: N8nQueue | undefined;
let starting: Promise<N8nQueue> | undefined;

async function sharedQueue(): Promise<N8nQueue> {
	starting ??= packedTarball().then(
		async (tarball) =>
			await startN8nQueue({
				tarball,
				env: SUITE_N8N_ENV,
				log: (line) => process.stdout.write(`  [queue] ${line}\n`),
			}),
	);
	queue = await starting;
	return queue;
}

afterAll(async () => {
	await queue?.stop();
});

printLogTailOnFailure(() => queue);

for (const nodeVersion of NODE_VERSIONS) {
	triggerSuite(
		{
			label: 'n8n 2.41.1 queue mode (webhook process, 2 workers, PostgreSQL 17, Redis)',
			clientAddress: '127.0.0.1',
			acquire: sharedQueue,
		},
		nodeVersion,
	);
}

describe('queue mode: the package in every process, executions on workers', () => {
	it('serves deliveries from the webhook process and runs every execution on a worker, spread over both', async () => {
		const n8n = await sharedQueue();
		expect(await n8n.nodeTypes()).toContain('n8n-nodes-revops.revOpsTrigger');
		const credential = await n8n.createCredential('RevOps queue', 'revOpsWebhookApi', {
			verificationSecret: TEST_KEY,
		});
		const trigger = revOpsTrigger({ credential });
		const { id: workflowId, url } = await publish(n8n, 'On workers', trigger, noOp());
		expect(url.startsWith(`http://127.0.0.1:${n8n.webhookProcesses[0].port}/webhook/`)).toBe(true);

		const ids = Array.from({ length: 30 }, () => randomUUID());
		const report = await streamEvents({
			events: ids.map((id) => freshEvent(loadSample('deal-updated'), { id })),
			concurrency: 6,
			delivery: { url, key: TEST_KEY, retries: 0 },
		});
		// Without the package the webhook process answers 400 "Unrecognized node type".
		expect(report.statuses).toEqual({ '200': ids.length });
		const executions = await n8n.executions(workflowId, {
			expected: ids.length,
			timeoutMs: 120_000,
		});
		expect(executions.map((execution) => [execution.status, execution.mode])).toEqual(
			ids.map(() => ['success', 'webhook']),
		);
		expect(
			new Set(executions.map((execution) => execution.itemsByNode['RevOps Trigger'][0].eventId)),
		).toEqual(new Set(ids));

		const byWorker = n8n.workers.map((worker) => executionsRunBy(worker));
		const ranOn = (id: string) =>
			n8n.workers.filter((_, index) => byWorker[index].has(id)).map((worker) => worker.role);
		console.log(
			`executions per worker: ${n8n.workers.map((worker, index) => `${worker.role} ${executions.filter((execution) => byWorker[index].has(execution.id)).length}`).join(', ')}`,
		);
		// Each execution ran on exactly one worker, never in main or the webhook process...
		expect(executions.map((execution) => ranOn(execution.id).length)).toEqual(
			executions.map(() => 1),
		);
		expect(n8n.main.logTail(100_000)).not.toMatch(/Worker started execution/);
		expect(executionsRunBy(n8n.webhookProcesses[0]).size).toBe(0);
		// ...and both workers ran the RevOps Trigger's executions, so both loaded the package.
		for (const ran of byWorker) expect(ran.size).toBeGreaterThan(0);
	});
});

describe('queue mode under load', () => {
	it(`acknowledges ${LOAD_EVENTS} events from ${LOAD_SENDERS} senders through the webhook process and runs each once on the workers`, async () => {
		const n8n = await sharedQueue();
		await loadTrigger(
			n8n,
			'queue mode',
			loadEvents(LOAD_EVENTS),
			LOAD_SENDERS,
			queueProcessGroups(n8n),
		);
	});
});

describe('queue mode troubleshooting (the README quotes these answers)', () => {
	it('while n8n publishes, the webhook process answers 404 for a moment, and then 200', async () => {
		const n8n = await sharedQueue();
		const credential = await n8n.createCredential('RevOps publishing', 'revOpsWebhookApi', {
			verificationSecret: TEST_KEY,
		});
		const window = await measurePublishWindow(n8n, revOpsTrigger({ credential }), noOp());
		process.stdout.write(
			`  [publish window] n8n 2.41.1, queue mode: publish call answered after ${window.callAnsweredMs} ms, ` +
				`first 200 after ${window.firstAcceptedMs} ms, ${window.notFound} deliveries answered 404 before it\n`,
		);
		// measurePublishWindow fails on any answer but 404 before the first 200, or on a first 200 later than the README says.
	});

	/**
	 * Runs `check` while `queueProcess` runs without the package: stopped, the package moved out of
	 * its user folder, started again; then puts the package back and restarts it.
	 */
	async function withoutPackage(
		queueProcess: QueueProcess,
		check: () => Promise<void>,
	): Promise<void> {
		const nodes = join(queueProcess.userFolder, '.n8n', 'nodes');
		const installed = join(nodes, 'node_modules', PACKAGE_NAME);
		// Outside node_modules: n8n loads every package folder in there, whatever its name.
		const aside = join(nodes, `${PACKAGE_NAME}-set-aside`);
		await queueProcess.stop();
		renameSync(installed, aside);
		try {
			await queueProcess.start();
			await check();
		} finally {
			await queueProcess.stop();
			renameSync(aside, installed);
			await queueProcess.start();
		}
	}

	it('a webhook process without the package answers 400 Unrecognized node type and runs nothing; installing it there fixes it', async () => {
		const n8n = await sharedQueue();
		const credential = await n8n.createCredential('RevOps missing', 'revOpsWebhookApi', {
			verificationSecret: TEST_KEY,
		});
		const workflow = await publish(n8n, 'Package missing', revOpsTrigger({ credential }), noOp());
		await withoutPackage(n8n.webhookProcesses[0], async () => {
			const answer = await signedPost(workflow.url, 'deal-signed.json');
			expect(answer.status).toBe(400);
			expectQuoted((JSON.parse(answer.body) as { message: string }).message);
			expect(await n8n.executions(workflow.id, { expected: 0 })).toEqual([]);
		});
		expect((await signedPost(workflow.url, 'deal-signed.json')).status).toBe(200);
		await n8n.executions(workflow.id, { expected: 1 });
	});

	it('with every worker but one stopped, a worker without the package fails each run it gets, with the same error', async () => {
		const n8n = await sharedQueue();
		const credential = await n8n.createCredential('RevOps worker', 'revOpsWebhookApi', {
			verificationSecret: TEST_KEY,
		});
		const workflow = await publish(n8n, 'Worker without it', revOpsTrigger({ credential }), noOp());
		const [lacking, ...others] = n8n.workers;
		for (const other of others) await other.stop();
		try {
			await withoutPackage(lacking, async () => {
				expect((await signedPost(workflow.url, 'deal-signed.json')).status).toBe(200);
				const [run] = await n8n.executions(workflow.id, { expected: 1, timeoutMs: 60_000 });
				expect(run.status).toBe('error');
				expectQuoted(run.error ?? '');
			});
		} finally {
			for (const other of others) await other.start();
		}
	});
});
