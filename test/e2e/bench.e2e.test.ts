/**
 * A short run of `npm run bench` against n8n 2.41.1: every target set up as the full bench
 * does, every kind of request at 1 and 8 clients, on the legacy expression engine (the
 * fastest of the three the bench measures; what is asserted does not depend on the engine). Asserts what the bench
 * relies on: every answer right, the executions each target starts counted and as expected.
 * Timings are printed by `npm run bench`, never asserted.
 */
import { problems } from '../../tools/bench/report';
import { runBench, type BenchRun } from '../../tools/bench/run';
import { SCENARIOS, TARGETS } from '../../tools/bench/scenarios';

const CONNECTIONS = [1, 8];
import { packedTarball } from './tarball';

jest.setTimeout(300_000);

describe('bench smoke: targets A, B, C and F in one n8n 2.41.1', () => {
	let run: BenchRun;

	beforeAll(async () => {
		const log = (line: string) => process.stdout.write(`  [bench] ${line}\n`);
		run = await runBench({
			tarball: await packedTarball(),
			engines: ['legacy'],
			rounds: 1,
			cellSeconds: 0.5,
			connections: CONNECTIONS,
			minRequestsPerConnection: 1,
			warmUpRequests: 0,
			log,
		});
	});

	it('measures every target, request kind and client count, with every answer as expected', () => {
		// Plus the probes: N (no authentication) gets only filtered events, K (two keys) emitted and forged ones, D (version 1.1) all.
		expect(run.cells).toHaveLength(
			(TARGETS.length * SCENARIOS.length + 3 + SCENARIOS.length) * CONNECTIONS.length,
		);
		expect(run.cells.every((cell) => cell.requests >= cell.connections)).toBe(true);
		expect(problems(run)).toEqual([]);
	});

	it('counts an execution for every DIY request, forged ones included, and none for what the trigger refuses or filters', () => {
		const executions = (target: string, scenario: string) =>
			run.cells
				.filter((cell) => cell.target === target && cell.scenario === scenario)
				.map((cell) => cell.executionsCounted - cell.requests);
		expect(executions('A', 'forged')).toEqual([0, 0]);
		expect(executions('C', 'emitted')).toEqual([0, 0]);
		expect(executions('K', 'emitted')).toEqual([0, 0]);
		expect(executions('D', 'emitted')).toEqual([0, 0]);
		const none = (target: string, scenario: string) =>
			run.cells
				.filter((cell) => cell.target === target && cell.scenario === scenario)
				.map((cell) => cell.executionsCounted);
		expect(none('C', 'filtered')).toEqual([0, 0]);
		expect(none('N', 'filtered')).toEqual([0, 0]);
		expect(none('C', 'forged')).toEqual([0, 0]);
		expect(none('K', 'forged')).toEqual([0, 0]);
		expect(none('D', 'filtered')).toEqual([0, 0]);
		expect(none('D', 'forged')).toEqual([0, 0]);
	});
});
