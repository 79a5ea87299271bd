import type { PublicApi } from './http';
import { sleep } from './process';

export interface ExecutionSummary {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	/** Node name -> output json items of its first run, main output 0. */
	itemsByNode: Record<string, Array<Record<string, unknown>>>;
	/** The workflow's error, or else the first node error, when the execution failed. */
	error?: string;
}

interface ErrorShape {
	message?: string;
	description?: string | null;
}

interface NodeRun {
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	error?: ErrorShape;
}

/** An execution as the public API returns it with `includeData=true`. */
interface ApiExecution {
	id: string | number;
	status: string;
	finished: boolean;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: { resultData?: { runData?: Record<string, NodeRun[]>; error?: ErrorShape } };
}

/** Statuses of executions that have not ended yet. */
const UNFINISHED = new Set(['new', 'running', 'waiting']);

export function isDone(execution: ExecutionSummary): boolean {
	return !UNFINISHED.has(execution.status) && execution.stoppedAt !== null;
}

export function summariseExecution(execution: ApiExecution): ExecutionSummary {
	const runData = execution.data?.resultData?.runData ?? {};
	const itemsByNode: Record<string, Array<Record<string, unknown>>> = {};
	let nodeError: string | undefined;
	for (const [nodeName, runs] of Object.entries(runData)) {
		const firstRun = runs[0];
		itemsByNode[nodeName] = (firstRun?.data?.main?.[0] ?? []).map((item) => item.json);
		nodeError ??= runs.map((run) => describeError(run.error)).find((text) => text !== undefined);
	}
	const error = describeError(execution.data?.resultData?.error) ?? nodeError;
	return {
		id: String(execution.id),
		status: execution.status,
		finished: execution.finished,
		mode: execution.mode,
		startedAt: execution.startedAt,
		stoppedAt: execution.stoppedAt,
		itemsByNode,
		...(error === undefined ? {} : { error }),
	};
}

function describeError(error: ErrorShape | undefined): string | undefined {
	if (error?.message === undefined) return undefined;
	return error.description ? `${error.message} (${error.description})` : error.message;
}

/** Every execution of a workflow with its data, newest first, following the API's cursor. */
export async function listExecutions(
	api: PublicApi,
	workflowId: string,
): Promise<ExecutionSummary[]> {
	const summaries: ExecutionSummary[] = [];
	let cursor: string | undefined;
	do {
		const query = new URLSearchParams({
			workflowId,
			includeData: 'true',
			limit: '250',
			...(cursor ? { cursor } : {}),
		});
		const page = await api.call<{ data: ApiExecution[]; nextCursor?: string | null }>(
			'GET',
			`/executions?${query.toString()}`,
		);
		summaries.push(...page.data.map(summariseExecution));
		cursor = page.nextCursor ?? undefined;
	} while (cursor !== undefined);
	return summaries;
}

const DEFAULT_EXECUTIONS_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

/**
 * How long a test waits to see that no (further) run starts. n8n lists a run as soon as it has
 * ended: on this 2-core machine, within EXECUTION_LAG_BOUND_MS of the answer in every topology
 * the trigger suite runs (its "lists a run within…" test measures that lag each time and fails
 * if it exceeds the bound), so a quiet period of twice the bound leaves room for a slow moment.
 */
export const EXECUTION_LAG_BOUND_MS = 1_500;
export const EXECUTION_QUIET_MS = 2 * EXECUTION_LAG_BOUND_MS;

type ListExecutions = () => Promise<ExecutionSummary[]>;

/** Polls until at least `expected` executions exist and all have ended; throws with the counts after `timeoutMs`. */
export async function waitForExecutions(
	list: ListExecutions,
	expected: number,
	timeoutMs = DEFAULT_EXECUTIONS_TIMEOUT_MS,
	failure: (found: string) => string,
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await list();
		const done = executions.filter(isDone).length;
		if (executions.length >= expected && done === executions.length) return executions;
		if (Date.now() > deadline) {
			throw new Error(
				failure(
					`expected ${expected} finished executions within ${timeoutMs} ms, found ${executions.length} (${done} finished)`,
				),
			);
		}
		await sleep(POLL_MS);
	}
}

/**
 * Keeps polling for `quietMs` and throws as soon as there are more executions than `seen`, so a
 * test that asserts "exactly these runs" or "no run" gives a late run the time to appear.
 */
export async function staysQuiet(
	list: ListExecutions,
	seen: ExecutionSummary[],
	quietMs: number,
	failure: (found: string) => string,
): Promise<ExecutionSummary[]> {
	const until = Date.now() + quietMs;
	while (Date.now() < until) {
		await sleep(POLL_MS);
		const executions = await list();
		if (executions.length > seen.length) {
			throw new Error(
				failure(
					`expected no more than ${seen.length} executions, but ${executions.length} appeared within a ${quietMs} ms quiet period`,
				),
			);
		}
	}
	return seen;
}
