/**
 * Load: many distinct signed events from concurrent senders against a real n8n 2.41.1.
 * REVOPS_LOAD_TOPOLOGY picks one process (`single`, the default), queue mode (`queue`: webhook
 * process, two workers, PostgreSQL, Redis), `both`, which sends the same events to each and
 * prints them side by side, or `scale-out`: queue mode behind nginx with one webhook process,
 * then with two, side by side. `npm test` runs a small load on one process (and the queue-mode
 * suite a small one in queue mode); `npm run test:load` 2,000 events from 20 senders on one
 * process; `npm run test:load:queue` 1,000 on both; `npm run test:load:scale-out` 1,000 on
 * each nginx set, with the ratio of two webhook processes to one.
 * Figures are printed, not asserted: only correctness (every event acknowledged and run once,
 * nothing lost) decides pass or fail. In one process the same events are first sent to n8n's
 * own Webhook node, and the trigger's rate is printed as a ratio of that baseline.
 */
import { randomUUID } from 'crypto';

import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import { startN8nQueue, type N8nQueue } from '../../tools/n8n/queue';
import { streamEvents } from '../../tools/load/stream';
import { chain, n8nWebhook, noOp } from '../../tools/n8n/workflows';
import {
	eventsPerSecond,
	loadEvents,
	loadTrigger,
	queueProcessGroups,
	type LoadFigures,
} from './load-run';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';

jest.setTimeout(1_800_000);

const EVENTS = Number(process.env.REVOPS_LOAD_EVENTS ?? 200);
const SENDERS = Number(process.env.REVOPS_LOAD_SENDERS ?? 20);
const TOPOLOGY = process.env.REVOPS_LOAD_TOPOLOGY ?? 'single';

const load = loadEvents(EVENTS);
const figures: Record<string, LoadFigures> = {};

afterAll(() => {
	const rows = Object.entries(figures);
	if (rows.length < 2) return;
	const [, first] = rows[0];
	const line = ([topology, result]: [string, LoadFigures]) =>
		`${topology.padEnd(18)} ${eventsPerSecond(result.report).toFixed(1).padStart(9)} ${String(result.report.latencyMs.p50).padStart(8)} ${String(result.report.latencyMs.p95).padStart(8)} ` +
		`${String(result.executions).padStart(10)} ${String(result.lost).padStart(4)}   ${Object.entries(
			result.memory,
		)
			.map(([name, mib]) => `${name} ${mib}`)
			.join(', ')}`;
	const cores = ([topology, result]: [string, LoadFigures]) =>
		`${topology}, CPU while sending (cores): ${Object.entries(result.coreShare)
			.map(([name, share]) => `${name} ${share}`)
			.join(', ')}`;
	const ratio = ([topology, result]: [string, LoadFigures]) =>
		`${topology}: ${(eventsPerSecond(result.report) / eventsPerSecond(first.report)).toFixed(2)}x the events/s of ${rows[0][0]}`;
	console.log(
		[
			`side by side, the same ${EVENTS} signed events from ${SENDERS} senders, one run:`,
			`${'topology'.padEnd(18)} ${'events/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'executions'.padStart(10)} lost   resident MiB`,
			...rows.map(line),
			...rows.map(cores),
			...rows.slice(1).map(ratio),
		].join('\n'),
	);
});

// Only the chosen topologies are defined at all, so a run reports no skipped tests.
if (TOPOLOGY === 'single' || TOPOLOGY === 'both')
	describe(`load: ${EVENTS} signed events from ${SENDERS} senders, n8n 2.41.1 in one process`, () => {
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
			const baselineId = await n8n.createWorkflow(
				chain("Baseline: n8n's Webhook node", [n8nWebhook(baselinePath), noOp()]),
			);
			await n8n.activate(baselineId);
			const baseline = await streamEvents({
				events: load.events,
				concurrency: SENDERS,
				delivery: { url: `${n8n.baseUrl}/webhook/${baselinePath}`, retries: 0 },
			});
			await n8n.executions(baselineId, { expected: EVENTS, timeoutMs: 600_000 });
			await n8n.deactivate(baselineId);
			console.log(
				`baseline, n8n's Webhook node: ${baseline.sent} events in ${(baseline.elapsedMs / 1000).toFixed(1)} s (${eventsPerSecond(baseline).toFixed(1)} events/s), answers ${JSON.stringify(baseline.statuses)}`,
			);

			figures['one process'] = await loadTrigger(n8n, 'one process', load, SENDERS, {
				n8n: n8n.pid,
			});
			console.log(
				`RevOps Trigger in one process: ${(eventsPerSecond(figures['one process'].report) / eventsPerSecond(baseline)).toFixed(2)}x the baseline`,
			);
		});
	});

if (TOPOLOGY === 'queue' || TOPOLOGY === 'both')
	describe(`load: ${EVENTS} signed events from ${SENDERS} senders, n8n 2.41.1 in queue mode`, () => {
		let queue: N8nQueue;

		beforeAll(async () => {
			queue = await startN8nQueue({ tarball: await packedTarball() });
		});

		afterAll(async () => {
			await queue?.stop();
		});

		printLogTailOnFailure(() => queue);

		it('acknowledges every event through the webhook process, runs each exactly once on the workers and loses none', async () => {
			figures['queue mode'] = await loadTrigger(
				queue,
				'queue mode',
				load,
				SENDERS,
				queueProcessGroups(queue),
			);
		});
	});

// The same queue mode behind nginx, first with one webhook process, then with two.
if (TOPOLOGY === 'scale-out')
	for (const webhookProcesses of [1, 2])
		describe(`load: ${EVENTS} signed events from ${SENDERS} senders through nginx, ${webhookProcesses} webhook process(es), 2 workers`, () => {
			let queue: N8nQueue;

			beforeAll(async () => {
				queue = await startN8nQueue({
					tarball: await packedTarball(),
					webhookProcesses,
					behindNginx: true,
				});
			});

			afterAll(async () => {
				await queue?.stop();
			});

			printLogTailOnFailure(() => queue);

			it('acknowledges every event through nginx, runs each exactly once on the workers and loses none', async () => {
				const label = `nginx, ${webhookProcesses} webhook`;
				figures[label] = await loadTrigger(queue, label, load, SENDERS, queueProcessGroups(queue));
			});
		});
