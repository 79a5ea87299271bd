/**
 * Sends many distinct RevOps events at a webhook from a fixed number of concurrent senders,
 * the way a busy RevOps account would, and counts what came back. Used by the load and fault
 * tests; every event goes through the RevOps sender, so signing, timeouts and retries are
 * RevOps' own.
 */
import { deliver, type AttemptResult, type DeliveryOptions } from '../revops/sender';

export interface StreamOptions {
	/** The events to send, each once (RevOps-style retries aside). */
	events: Buffer[];
	concurrency: number;
	delivery: DeliveryOptions;
	/** Called after each event's delivery ended, with how many have ended so far. */
	onDelivered?: (done: number) => void;
}

export interface StreamReport {
	sent: number;
	delivered: number;
	attempts: number;
	/** Attempts after the first, over all events. */
	retried: number;
	statuses: Record<string, number>;
	elapsedMs: number;
	/** Per event, whether RevOps would count it as delivered. */
	deliveredByEvent: boolean[];
	latencyMs: { p50: number; p95: number; max: number };
}

function percentile(sorted: number[], fraction: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

export async function streamEvents(options: StreamOptions): Promise<StreamReport> {
	const started = Date.now();
	const attempts: AttemptResult[] = [];
	const deliveredByEvent: boolean[] = new Array(options.events.length).fill(false);
	let next = 0;
	let done = 0;
	const sender = async () => {
		for (let index = next++; index < options.events.length; index = next++) {
			const report = await deliver(options.events[index], options.delivery);
			attempts.push(...report.attempts);
			deliveredByEvent[index] = report.delivered;
			options.onDelivered?.(++done);
		}
	};
	await Promise.all(Array.from({ length: options.concurrency }, sender));
	const statuses: Record<string, number> = {};
	for (const attempt of attempts) {
		const key =
			attempt.status === null
				? `no answer (${attempt.error ?? 'unknown'})`
				: String(attempt.status);
		statuses[key] = (statuses[key] ?? 0) + 1;
	}
	const latencies = attempts.map((attempt) => attempt.durationMs).sort((a, b) => a - b);
	return {
		sent: options.events.length,
		delivered: deliveredByEvent.filter(Boolean).length,
		attempts: attempts.length,
		retried: attempts.length - options.events.length,
		statuses,
		elapsedMs: Date.now() - started,
		deliveredByEvent,
		latencyMs: {
			p50: percentile(latencies, 0.5),
			p95: percentile(latencies, 0.95),
			max: latencies.at(-1) ?? 0,
		},
	};
}
