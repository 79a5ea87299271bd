/**
 * The bench: for each expression-engine setting one n8n 2.41.1 holding targets A, B and C,
 * plus the floor F, all sent the same requests in short interleaved rounds, so that noise
 * from a busy machine hits every target alike. A target's rate counts the time until the
 * executions it started have finished, so work n8n defers past the answer is not free.
 */
import { ensureN8n } from '../n8n/install';
import { startN8n, type N8nInstance } from '../n8n/instance';
import { sleep } from '../n8n/process';
import { runCell, type CellResult } from './cell';
import {
	expectedAnswer,
	PROBE_SCENARIOS,
	scenario,
	SCENARIOS,
	type Scenario,
	type ScenarioName,
	type TargetName,
} from './scenarios';
import { countExecutions, setUpWorkflowTargets, startFloor, type Target } from './targets';

export type EngineName = 'vm' | 'lazy' | 'legacy';
export const ENGINES: readonly EngineName[] = ['vm', 'lazy', 'legacy'];
export const ENGINE_LABELS: Record<EngineName, string> = {
	vm: 'vm (default)',
	lazy: 'vm + N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
	legacy: 'N8N_EXPRESSION_ENGINE=legacy',
};
const ENGINE_ENV: Record<EngineName, Record<string, string>> = {
	vm: {},
	lazy: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	legacy: { N8N_EXPRESSION_ENGINE: 'legacy' },
};

export interface BenchOptions {
	tarball: string;
	engines: readonly EngineName[];
	rounds: number;
	/** Aimed length of one cell; the request count is sized from the target's rate so far. */
	cellSeconds: number;
	connections: readonly number[];
	/** Fewest requests in a cell (per connection). */
	minRequestsPerConnection: number;
	/** Requests per target and kind before the rounds (first executions compile code and fill caches); 0 skips. */
	warmUpRequests: number;
	log: (line: string) => void;
}

export interface CellTotals {
	engine: EngineName;
	target: TargetName;
	scenario: ScenarioName;
	connections: number;
	requests: number;
	wrong: number;
	wrongExamples: string[];
	errors: number;
	/** Sending time plus the wait for the executions to finish. */
	elapsedMs: number;
	executionsExpected: number;
	executionsCounted: number;
	/** Expression isolates n8n acquired while the cell ran (0 with the legacy engine, which has none). */
	isolates: number;
	latenciesMs: number[];
}

export interface BenchRun {
	cells: CellTotals[];
	startedAt: Date;
	finishedAt: Date;
}

/** How long the execution count may stand still below the expected count before the bench gives up waiting. */
const DRAIN_STALL_MS = 15_000;
const MAX_REQUESTS_PER_CELL = 20_000;

type CellKey = `${EngineName}/${TargetName}/${ScenarioName}/${number}`;

/**
 * Waits until a workflow has at least `expected` executions and none is still running, and
 * returns how many it has. Gives up (returning fewer) when the count stops growing for a while.
 */
async function drain(n8n: N8nInstance, workflowId: string, expected: number): Promise<number> {
	let last = -1;
	let lastChange = Date.now();
	for (;;) {
		const count = await countExecutions(n8n, workflowId);
		if (count >= expected && (await countExecutions(n8n, workflowId, true)) === 0) return count;
		if (count !== last) {
			last = count;
			lastChange = Date.now();
		} else if (Date.now() - lastChange > DRAIN_STALL_MS) {
			return count;
		}
		await sleep(50);
	}
}

/** n8n's own count of expression isolates acquired so far (its /metrics, with N8N_METRICS=true). */
async function isolatesAcquired(n8n: N8nInstance): Promise<number> {
	const metrics = await (await fetch(`${n8n.baseUrl}/metrics`)).text();
	const line = metrics
		.split('\n')
		.find((text) => text.startsWith('n8n_expression_pool_acquired_total '));
	return line === undefined ? 0 : Number(line.split(' ')[1]);
}

/** Every target in a different position each round, so no target always follows the slowest. */
function rotated<T>(items: readonly T[], by: number): T[] {
	return items.map((_item, index) => items[(index + by) % items.length]);
}

async function benchEngine(
	engine: EngineName,
	options: BenchOptions,
	cells: Map<CellKey, CellTotals>,
): Promise<void> {
	const { log } = options;
	const install = await ensureN8n('2.41.1', log);
	const n8n = await startN8n({
		version: '2.41.1',
		tarball: options.tarball,
		env: { ...ENGINE_ENV[engine], NODE_FUNCTION_ALLOW_BUILTIN: 'crypto', N8N_METRICS: 'true' },
		log,
	});
	const floor = await startFloor(install.nodeBin);
	try {
		const targets = [...(await setUpWorkflowTargets(n8n)), { name: 'F' as const, url: floor.url }];
		const requests = new Map(SCENARIOS.map((name) => [name, scenario(name)] as const));
		const executions = new Map<TargetName, number>(targets.map((target) => [target.name, 0]));
		const rates = new Map<CellKey, number>();

		const cell = async (
			target: Target,
			request: Scenario,
			connections: number,
			amount: number,
		): Promise<CellResult & { counted: number; expectedRuns: number; isolates: number }> => {
			const expected = expectedAnswer(target.name, request.name);
			const isolatesBefore = await isolatesAcquired(n8n);
			const before = executions.get(target.name) ?? 0;
			let after = before;
			const settle = async () => {
				if (target.workflowId !== undefined)
					after = await drain(n8n, target.workflowId, before + expected.executions * amount);
			};
			const result = await runCell(target.url, request, expected, connections, amount, settle);
			executions.set(target.name, after);
			const isolates = (await isolatesAcquired(n8n)) - isolatesBefore;
			return {
				...result,
				counted: after - before,
				expectedRuns: expected.executions * result.requests,
				isolates,
			};
		};

		/** Which targets get which requests: the probes only theirs. */
		const sentTo = (request: Scenario) =>
			targets.filter((target) => PROBE_SCENARIOS[target.name]?.includes(request.name) ?? true);
		// Warm-up: every path of every target, and a first rate to size the cells with.
		for (const request of options.warmUpRequests > 0 ? requests.values() : []) {
			for (const target of sentTo(request)) {
				const warm = await cell(target, request, 1, options.warmUpRequests);
				for (const connections of options.connections) {
					rates.set(
						`${engine}/${target.name}/${request.name}/${connections}`,
						(warm.requests / warm.elapsedMs) * 1000,
					);
				}
			}
		}
		const cellsPerRound =
			[...requests.values()].reduce((sum, request) => sum + sentTo(request).length, 0) *
			options.connections.length;
		log(`${engine}: warmed up; ${options.rounds} rounds of ${cellsPerRound} cells`);

		for (let round = 0; round < options.rounds; round += 1) {
			const roundStarted = Date.now();
			for (const connections of options.connections) {
				for (const [scenarioIndex, request] of [...requests.values()].entries()) {
					for (const target of rotated(sentTo(request), round + scenarioIndex)) {
						const key: CellKey = `${engine}/${target.name}/${request.name}/${connections}`;
						const perConnection = Math.max(
							options.minRequestsPerConnection,
							Math.round(((rates.get(key) ?? 1) * options.cellSeconds) / connections),
						);
						const amount = Math.min(MAX_REQUESTS_PER_CELL, perConnection * connections);
						const result = await cell(target, request, connections, amount);
						rates.set(key, (result.requests / result.elapsedMs) * 1000);
						const totals = cells.get(key) ?? {
							engine,
							target: target.name,
							scenario: request.name,
							connections,
							requests: 0,
							wrong: 0,
							wrongExamples: [],
							errors: 0,
							elapsedMs: 0,
							executionsExpected: 0,
							executionsCounted: 0,
							isolates: 0,
							latenciesMs: [],
						};
						totals.requests += result.requests;
						totals.wrong += result.wrong;
						totals.wrongExamples.push(
							...result.wrongExamples.slice(0, 3 - totals.wrongExamples.length),
						);
						totals.errors += result.errors;
						totals.elapsedMs += result.elapsedMs;
						totals.executionsExpected += result.expectedRuns;
						totals.executionsCounted += result.counted;
						totals.isolates += result.isolates;
						totals.latenciesMs.push(...result.latenciesMs);
						cells.set(key, totals);
					}
				}
			}
			log(
				`${engine}: round ${round + 1}/${options.rounds} done in ${((Date.now() - roundStarted) / 1000).toFixed(0)} s`,
			);
		}
	} finally {
		await floor.stop();
		await n8n.stop();
	}
}

export async function runBench(options: BenchOptions): Promise<BenchRun> {
	const startedAt = new Date();
	const cells = new Map<CellKey, CellTotals>();
	for (const engine of options.engines) await benchEngine(engine, options, cells);
	return { cells: [...cells.values()], startedAt, finishedAt: new Date() };
}
