import type { PublicApi } from './http';

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
