/**
 * Puts the four bench targets in place: A, B and C as workflows in one n8n, F as its own
 * process. Each target has a URL and a way to count the executions it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { N8nInstance, WorkflowNode, WorkflowSpec } from '../n8n/instance';
import { freePort } from '../n8n/ports';
import { onEachLine } from '../n8n/run';
import { chain, n8nWebhook, noOp, revOpsTrigger, type N8nNode } from '../n8n/workflows';
import { BENCH_KEY, SELECTED_EVENT, type TargetName } from './scenarios';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DIY_EXAMPLE = path.join(REPO_ROOT, 'examples', 'revops-diy-webhook.json');
/** The placeholder in the example's Code node that a user replaces with their key. */
const KEY_PLACEHOLDER = 'paste-the-verification-key-here';

export interface Target {
	name: TargetName;
	url: string;
	/** Undefined for F, which starts no executions. */
	workflowId?: string;
}

/** The DIY example as users import it, with the bench's key and a path of its own. */
export function diyWorkflow(webhookPath: string): WorkflowSpec {
	const example = JSON.parse(
		readFileSync(DIY_EXAMPLE, 'utf8').replace(KEY_PLACEHOLDER, BENCH_KEY),
	) as WorkflowSpec & { id?: string };
	const nodes = example.nodes.map((node: WorkflowNode) =>
		node.type === 'n8n-nodes-base.webhook'
			? { ...node, webhookId: webhookPath, parameters: { ...node.parameters, path: webhookPath } }
			: node,
	);
	return {
		name: example.name,
		nodes,
		connections: example.connections,
		settings: example.settings,
	};
}

export async function setUpWorkflowTargets(n8n: N8nInstance): Promise<Target[]> {
	const credential = await n8n.createCredential('RevOps bench', 'revOpsWebhookApi', {
		verificationSecret: BENCH_KEY,
	});
	// C and the probes that vary one thing from it stay at node version 1; D is C at version 1.1.
	const trigger = revOpsTrigger({ credential, events: [SELECTED_EVENT], typeVersion: 1 });
	const latest = revOpsTrigger({ credential, events: [SELECTED_EVENT], typeVersion: 1.1 });
	const unsigned = revOpsTrigger({
		authentication: 'none',
		events: [SELECTED_EVENT],
		typeVersion: 1,
	});
	const twoKeys = await n8n.createCredential('RevOps bench, two keys', 'revOpsWebhookApi', {
		verificationSecret: `${BENCH_KEY}-new`,
		verificationSecret2: BENCH_KEY,
	});
	const twoKeyTrigger = revOpsTrigger({
		credential: twoKeys,
		events: [SELECTED_EVENT],
		typeVersion: 1,
	});
	/** A RevOps Trigger feeding a No-Op, at the trigger's own webhook URL. */
	const triggerTarget = (name: TargetName, title: string, node: N8nNode) => ({
		name,
		spec: chain(`Bench ${name}: ${title}`, [node, noOp()]),
		url: n8n.webhookUrl(node.webhookId as string),
	});
	const specs: Array<{ name: TargetName; spec: WorkflowSpec; url: string }> = [
		{ name: 'A', spec: diyWorkflow('bench-diy'), url: `${n8n.baseUrl}/webhook/bench-diy` },
		{
			name: 'B',
			spec: chain('Bench B: Webhook to No-Op', [n8nWebhook('bench-webhook'), noOp()]),
			url: `${n8n.baseUrl}/webhook/bench-webhook`,
		},
		triggerTarget('C', 'RevOps Trigger to No-Op', trigger),
		triggerTarget('N', 'RevOps Trigger without authentication', unsigned),
		triggerTarget('D', 'RevOps Trigger 1.1 to No-Op', latest),
		triggerTarget('K', 'RevOps Trigger with two keys', twoKeyTrigger),
	];
	const targets: Target[] = [];
	for (const { name, spec, url } of specs) {
		const workflowId = await n8n.createWorkflow(spec);
		await n8n.activate(workflowId);
		targets.push({ name, url, workflowId });
	}
	return targets;
}

interface ExecutionPage {
	count: number;
	estimated?: boolean;
}

/** Executions of a workflow, all or only those not ended yet, as n8n's own list counts them. */
export async function countExecutions(
	n8n: N8nInstance,
	workflowId: string,
	unfinishedOnly = false,
): Promise<number> {
	const filter = unfinishedOnly
		? { workflowId, status: ['new', 'running', 'waiting'] }
		: { workflowId };
	const page = await n8n.rest<ExecutionPage>(
		'GET',
		`/rest/executions?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=1`,
	);
	if (page.estimated === true)
		throw new Error(`n8n only estimated the execution count of workflow ${workflowId}`);
	return page.count;
}

export interface FloorServer {
	url: string;
	stop(): Promise<void>;
}

/** F on the same Node binary as n8n, so both sides of the ratio run on one runtime. */
export async function startFloor(nodeBin: string): Promise<FloorServer> {
	const port = await freePort();
	const tsxCli = require.resolve('tsx/cli');
	const child: ChildProcess = spawn(
		nodeBin,
		[tsxCli, path.join(__dirname, 'floor.ts'), String(port), BENCH_KEY],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	const output: string[] = [];
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`the floor server did not start:\n${output.join('\n')}`)),
			30_000,
		);
		const onLine = (line: string) => {
			output.push(line);
			if (line === `listening ${port}`) {
				clearTimeout(timer);
				resolve();
			}
		};
		onEachLine(child.stdout as NodeJS.ReadableStream, onLine);
		onEachLine(child.stderr as NodeJS.ReadableStream, onLine);
		child.on('exit', (code) =>
			reject(new Error(`the floor server exited with ${code}:\n${output.join('\n')}`)),
		);
	});
	return {
		url: `http://127.0.0.1:${port}/`,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.on('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
