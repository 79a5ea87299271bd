/**
 * app.asana.com's API as far as the SLA example uses it (tasks: list by project, create,
 * update), refusing what Asana refuses. Every rule links the part of Asana's documentation it
 * follows.
 */
import { StubService, type StubAnswer, type StubRequest } from './service';

export interface AsanaTask {
	gid: string;
	resource_type: 'task';
	name: string;
	notes: string;
	due_on: string | null;
	workspace: string;
	projects: string[];
	permalink_url: string;
	created_at: string;
}

const API = '/api/1.0';
/** https://developers.asana.com/reference/gettasks: `limit` is 1 to 100. */
const PAGE_LIMIT = 100;

/** https://developers.asana.com/docs/errors: `{ errors: [{ message, help }] }` with the HTTP status. */
function asanaError(status: number, message: string): StubAnswer {
	return {
		status,
		body: {
			errors: [
				{
					message,
					help: 'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors',
				},
			],
		},
	};
}

/** https://developers.asana.com/docs/rate-limits: HTTP 429 with Retry-After in seconds. */
export const ASANA_RATE_LIMITED: StubAnswer = {
	status: 429,
	headers: { 'retry-after': '1' },
	body: {
		errors: [{ message: 'You have made too many requests recently. Please, be chill.' }],
	},
};

/** A date as Asana's `due_on` takes it: https://developers.asana.com/reference/createtask (YYYY-MM-DD). */
function isDate(value: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (match === null) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export class AsanaStub extends StubService {
	readonly tasks: AsanaTask[] = [];
	private nextGid = 1_209_000_000_000_001;

	/** `token` is the personal access token of n8n's Asana credential; `projects` maps project gid -> workspace gid. */
	constructor(
		private readonly token: string,
		private readonly projects: Record<string, string>,
	) {
		super('app.asana.com', (request) => this.route(request));
	}

	private route(request: StubRequest): StubAnswer {
		// https://developers.asana.com/docs/personal-access-token: `Authorization: Bearer <token>`, else 401.
		if (request.headers.authorization !== `Bearer ${this.token}`)
			return asanaError(401, 'Not Authorized');
		const taskPath = new RegExp(`^${API}/tasks/(\\d+)$`).exec(request.path);
		if (request.method === 'GET' && request.path === `${API}/tasks`) return this.list(request);
		if (request.method === 'POST' && request.path === `${API}/tasks`) return this.create(request);
		if (request.method === 'PUT' && taskPath !== null) return this.update(taskPath[1]!, request);
		if (request.method === 'DELETE' && taskPath !== null) return this.remove(taskPath[1]!);
		return asanaError(404, `${request.method} ${request.path}: Not Found`);
	}

	/** https://developers.asana.com/reference/gettasks */
	private list(request: StubRequest): StubAnswer {
		const { project, tag, section, assignee, workspace, opt_fields, limit, offset } = request.query;
		// Exactly one of project, tag, section, user task list, or assignee + workspace.
		const filters = [project, tag, section].filter((value) => value !== undefined).length;
		if (filters + (assignee !== undefined && workspace !== undefined ? 1 : 0) !== 1)
			return asanaError(
				400,
				'Must specify exactly one of project, tag, section, user task list, or assignee + workspace',
			);
		if (project === undefined) return asanaError(400, 'This stub lists tasks by project only');
		if (!(project in this.projects)) return asanaError(404, `project: Unknown object: ${project}`);
		const pageSize = Number(limit ?? PAGE_LIMIT);
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > PAGE_LIMIT)
			return asanaError(400, 'limit: Must be between 1 and 100');
		const start = Number(offset ?? 0);
		const inProject = this.tasks.filter((task) => task.projects.includes(project));
		// Compact records (gid, resource_type, name, resource_subtype) unless opt_fields asks for others:
		// https://developers.asana.com/docs/inputoutput-options
		const fields = opt_fields?.split(',') ?? ['name', 'resource_subtype'];
		const data = inProject.slice(start, start + pageSize).map((task) => ({
			gid: task.gid,
			resource_type: 'task',
			...Object.fromEntries(
				fields
					.filter((field) => field !== 'gid')
					.map((field) => [
						field,
						field === 'resource_subtype'
							? 'default_task'
							: (task as unknown as Record<string, unknown>)[field],
					]),
			),
		}));
		const more = start + pageSize < inProject.length;
		// https://developers.asana.com/docs/pagination: next_page is null on the last page.
		const next = new URLSearchParams({ ...request.query, offset: String(start + pageSize) });
		return {
			status: 200,
			body: {
				data,
				next_page: more
					? {
							offset: String(start + pageSize),
							path: `/tasks?${next}`,
							uri: `https://app.asana.com${API}/tasks?${next}`,
						}
					: null,
			},
		};
	}

	/**
	 * The `data` envelope every write takes (https://developers.asana.com/docs/inputoutput-options),
	 * or the error Asana answers when it is missing or a field is invalid.
	 */
	private dataOf(
		request: StubRequest,
	): { data: Record<string, unknown>; refused?: undefined } | { refused: StubAnswer } {
		const data = request.body.data;
		if (typeof data !== 'object' || data === null || Array.isArray(data))
			return { refused: asanaError(400, 'Request data must be a JSON object, not null') };
		const refused = this.invalidFields(data as Record<string, unknown>);
		return refused === undefined ? { data: data as Record<string, unknown> } : { refused };
	}

	/** A field error, or undefined. https://developers.asana.com/reference/createtask */
	private invalidFields(data: Record<string, unknown>): StubAnswer | undefined {
		if (data.due_on !== undefined && data.due_on !== null && !isDate(String(data.due_on)))
			return asanaError(
				400,
				`due_on: Invalid date string: ${String(data.due_on)}. Must be a date in YYYY-MM-DD format`,
			);
		if (data.due_on != null && data.due_at != null)
			return asanaError(400, 'You may only provide one of due_on or due_at!');
		for (const field of ['name', 'notes'])
			if (data[field] !== undefined && typeof data[field] !== 'string')
				return asanaError(400, `${field}: Value is not a string: ${JSON.stringify(data[field])}`);
		return undefined;
	}

	/** https://developers.asana.com/reference/createtask: 201 with the task. */
	private create(request: StubRequest): StubAnswer {
		const checked = this.dataOf(request);
		if (checked.refused !== undefined) return checked.refused;
		const { data } = checked;
		const projects = (data.projects ?? []) as unknown;
		if (!Array.isArray(projects) || projects.some((gid) => typeof gid !== 'string'))
			return asanaError(400, 'projects: Value is not an array of gids');
		// "workspace: Required if projects or parent not specified"; every project must be known and in it.
		const workspace =
			typeof data.workspace === 'string' ? data.workspace : this.projects[projects[0] as string];
		if (workspace === undefined)
			return asanaError(
				400,
				'workspace: Missing input: You should specify one of workspace, parent, projects',
			);
		for (const gid of projects as string[]) {
			if (!(gid in this.projects)) return asanaError(400, `projects: Unknown object: ${gid}`);
			if (this.projects[gid] !== workspace)
				return asanaError(400, `projects: Project ${gid} is not in workspace ${workspace}`);
		}
		if (!Object.values(this.projects).includes(workspace))
			return asanaError(400, `workspace: Unknown object: ${workspace}`);
		const gid = String(this.nextGid++);
		const task: AsanaTask = {
			gid,
			resource_type: 'task',
			name: String(data.name ?? ''),
			notes: String(data.notes ?? ''),
			due_on: (data.due_on as string | undefined) ?? null,
			workspace,
			projects: projects as string[],
			permalink_url: `https://app.asana.com/0/${String(projects[0] ?? 0)}/${gid}`,
			created_at: new Date().toISOString(),
		};
		this.tasks.push(task);
		return { status: 201, body: { data: task } };
	}

	/** https://developers.asana.com/reference/deletetask: 200 with empty data; the task is gone. */
	private remove(gid: string): StubAnswer {
		const index = this.tasks.findIndex((candidate) => candidate.gid === gid);
		if (index < 0) return asanaError(404, `task: Unknown object: ${gid}`);
		this.tasks.splice(index, 1);
		return { status: 200, body: { data: {} } };
	}

	/** https://developers.asana.com/reference/updatetask: only the fields sent change. */
	private update(gid: string, request: StubRequest): StubAnswer {
		const task = this.tasks.find((candidate) => candidate.gid === gid);
		if (task === undefined) return asanaError(404, `task: Unknown object: ${gid}`);
		const checked = this.dataOf(request);
		if (checked.refused !== undefined) return checked.refused;
		const { data } = checked;
		for (const field of ['name', 'notes', 'due_on'] as const)
			if (data[field] !== undefined) Object.assign(task, { [field]: data[field] });
		return { status: 200, body: { data: task } };
	}
}
