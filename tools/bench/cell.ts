/**
 * One bench cell: a fixed number of identical requests to one target from N connections,
 * with autocannon. Every answer is checked (status and body); latencies are kept per request
 * so that rounds can be merged before percentiles are taken.
 */
import autocannon from 'autocannon';

import type { ExpectedAnswer, Scenario } from './scenarios';

export interface CellResult {
	requests: number;
	/** Answers whose status or body was not the expected one, with up to 3 examples. */
	wrong: number;
	wrongExamples: string[];
	errors: number;
	/** From the first request until the last answer arrived and `settle` resolved. */
	elapsedMs: number;
	latenciesMs: number[];
}

/**
 * `settle` runs as soon as the last answer is in (autocannon itself reports completion only
 * on its next one-second tick, which would swamp short cells), e.g. to wait for executions.
 */
export async function runCell(
	url: string,
	request: Scenario,
	expected: ExpectedAnswer,
	connections: number,
	amount: number,
	settle: () => Promise<void>,
): Promise<CellResult> {
	let wrong = 0;
	const wrongExamples: string[] = [];
	const latenciesMs: number[] = [];
	let settled: Promise<number> | undefined;
	const settleOnce = () => (settled ??= settle().then(() => performance.now()));
	const started = performance.now();
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url,
				connections,
				amount,
				timeout: 60,
				requests: [
					{
						method: 'POST',
						headers: request.headers,
						body: request.body,
						onResponse: (status: number, body: string) => {
							if (status === expected.status && body.includes(expected.bodyContains)) return;
							wrong += 1;
							if (wrongExamples.length < 3) wrongExamples.push(`${status} ${body.slice(0, 200)}`);
						},
					},
				],
			},
			(error, done) => (error ? reject(error) : resolve(done)),
		);
		instance.on('response', (_client, _status, _bytes, responseTime) => {
			latenciesMs.push(responseTime);
			if (latenciesMs.length === amount) void settleOnce();
		});
	});
	const settledAt = await settleOnce();
	return {
		requests: latenciesMs.length,
		wrong,
		wrongExamples,
		errors: result.errors + result.timeouts,
		elapsedMs: settledAt - started,
		latenciesMs,
	};
}
