/**
 * One load run against the RevOps Trigger: distinct signed events from concurrent senders,
 * every one checked acknowledged and run exactly once, figures printed and returned. Shared by
 * the load test (one process and queue mode side by side) and the queue-mode suite.
 */
import { randomUUID } from 'crypto';

import type { N8nInstance } from '../../tools/n8n/instance';
import type { N8nQueue } from '../../tools/n8n/queue';
import { groupCpuSeconds, groupResidentMiB } from '../../tools/load/memory';
import { streamEvents, type StreamReport } from '../../tools/load/stream';
import { freshEvent, loadSample } from '../../tools/revops/samples';
import { TEST_KEY } from '../support/fixtures';
import { noOp, revOpsTrigger } from '../../tools/n8n/workflows';
import { publish } from './fixture';

const SAMPLES = ['deal-signed', 'deal-updated', 'account-updated', 'deal-active'];

export interface LoadEvents {
	ids: string[];
	events: Buffer[];
}

export interface LoadFigures {
	report: StreamReport;
	executions: number;
	lost: number;
	/** Resident MiB per process (group), after the run. */
	memory: Record<string, number>;
	/** CPU used per process (group) while the events were sent, as a share of one core. */
	coreShare: Record<string, number>;
}

export function loadEvents(count: number): LoadEvents {
	const ids = Array.from({ length: count }, () => randomUUID());
	return {
		ids,
		events: ids.map((id, index) => freshEvent(loadSample(SAMPLES[index % SAMPLES.length]), { id })),
	};
}

export const eventsPerSecond = (report: StreamReport): number =>
	(report.sent / report.elapsedMs) * 1000;

/** The process group of every n8n process of a queue-mode set and of the servers beside them. */
export function queueProcessGroups(queue: N8nQueue): Record<string, number> {
	return {
		main: queue.main.pid,
		...Object.fromEntries(queue.webhookProcesses.map((webhook) => [webhook.role, webhook.pid])),
		...Object.fromEntries(queue.workers.map((worker) => [worker.role, worker.pid])),
		postgres: queue.postgres.pid,
		redis: queue.redis.pid,
		...(queue.nginx === undefined ? {} : { nginx: queue.nginx.pid }),
	};
}

const eachGroup = (
	groups: Record<string, number>,
	measure: (pgid: number) => number,
): Record<string, number> =>
	Object.fromEntries(Object.entries(groups).map(([name, pgid]) => [name, measure(pgid)]));

/** Sends the events to a freshly published trigger and checks every one was acknowledged and run once. */
export async function loadTrigger(
	n8n: N8nInstance,
	label: string,
	{ ids, events }: LoadEvents,
	senders: number,
	/** The process groups to measure, by name: `{ n8n: n8n.pid }`, queueProcessGroups(queue). */
	processGroups: Record<string, number>,
): Promise<LoadFigures> {
	const credential = await n8n.createCredential('RevOps load', 'revOpsWebhookApi', {
		verificationSecret: TEST_KEY,
	});
	const trigger = revOpsTrigger({ credential });
	const { id: workflowId, url } = await publish(n8n, 'Load', trigger, noOp());

	const cpuBefore = eachGroup(processGroups, groupCpuSeconds);
	const report = await streamEvents({
		events,
		concurrency: senders,
		delivery: { url, key: TEST_KEY, retries: 0 },
	});
	const cpuAfter = eachGroup(processGroups, groupCpuSeconds);
	const executions = await n8n.executions(workflowId, {
		expected: report.delivered,
		timeoutMs: 600_000,
	});
	const seen = executions.map(
		(execution) => execution.itemsByNode['RevOps Trigger'][0].eventId as string,
	);
	const figures = {
		report,
		executions: executions.length,
		lost: ids.filter((id) => !seen.includes(id)).length,
		memory: eachGroup(processGroups, groupResidentMiB),
		coreShare: Object.fromEntries(
			Object.entries(cpuAfter).map(([name, seconds]) => [
				name,
				Number(((seconds - cpuBefore[name]) / (report.elapsedMs / 1000)).toFixed(2)),
			]),
		),
	};
	console.log(
		[
			`${label}, RevOps Trigger: ${report.sent} signed events from ${senders} senders in ${(report.elapsedMs / 1000).toFixed(1)} s (${eventsPerSecond(report).toFixed(1)} events/s)`,
			`answers ${JSON.stringify(report.statuses)}, acknowledged ${report.delivered}`,
			`latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, max ${report.latencyMs.max} ms`,
			`executions ${executions.length} (${executions.filter((execution) => execution.status === 'success').length} successful), lost ${figures.lost}`,
			`resident memory after the run (MiB, with task runners): ${JSON.stringify(figures.memory)}`,
			`CPU while sending, in cores (1 = one core all the time): ${JSON.stringify(figures.coreShare)}`,
		].join('\n'),
	);
	expect(report.statuses).toEqual({ '200': ids.length });
	expect(report.delivered).toBe(ids.length);
	expect(executions).toHaveLength(ids.length);
	expect(new Set(seen).size).toBe(ids.length);
	expect(executions.every((execution) => execution.status === 'success')).toBe(true);
	expect(figures.lost).toBe(0);
	return figures;
}
