/**
 * `npm start`: a local n8n 2.41.1 with this checkout's RevOps Trigger installed the way
 * Settings > Community nodes installs it, plus a published demo workflow to send events to.
 * State lives in <repo>/.n8n-dev, so a second start reuses the owner, credential and
 * workflow; the freshly packed package replaces the installed one every time.
 *
 * `npm start -- --queue`: the same in queue mode (PostgreSQL, Redis, main, a webhook process
 * and two workers), in a temporary folder that is removed when it stops.
 * `npm start -- --queue --webhook-processes=2`: that many webhook processes behind nginx.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { generatePassword } from './accounts';
import {
	startN8n,
	stopAll,
	type N8nInstance,
	type WorkflowNode,
	type WorkflowSpec,
} from './instance';
import { startN8nQueue, type N8nQueue } from './queue';
import { packPackage } from './package';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const USER_FOLDER = path.join(REPO_ROOT, '.n8n-dev');
const DEMO_WORKFLOW_FILE = path.join(REPO_ROOT, 'examples', 'revops-deal-signed-demo.json');
const DEFAULT_PORT = 5678;
const OWNER_EMAIL = 'demo@revops.example';
const CREDENTIAL_TYPE = 'revOpsWebhookApi';
const DEMO_VERIFICATION_KEY = 'revops-demo-verification-key';

interface DemoWorkflowFile extends WorkflowSpec {
	id: string;
}

function say(line = ''): void {
	process.stdout.write(`${line}\n`);
}

/** The credential the demo workflow names, created once and found by name afterwards. */
async function ensureDemoCredential(
	n8n: N8nInstance,
	name: string,
): Promise<{ id: string; name: string }> {
	const existing = await n8n.rest<Array<{ id: string; name: string; type: string }>>(
		'GET',
		'/rest/credentials',
	);
	const found = existing.find(
		(credential) => credential.name === name && credential.type === CREDENTIAL_TYPE,
	);
	if (found !== undefined) return { id: found.id, name: found.name };
	return await n8n.createCredential(name, CREDENTIAL_TYPE, {
		verificationSecret: DEMO_VERIFICATION_KEY,
	});
}

function triggerNode(workflow: DemoWorkflowFile): WorkflowNode & { webhookId: string } {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-revops.revOpsTrigger');
	if (trigger?.webhookId === undefined)
		throw new Error(`${DEMO_WORKFLOW_FILE} has no RevOps Trigger with a webhookId`);
	return { ...trigger, webhookId: trigger.webhookId };
}

function describeQueue(queue: N8nQueue): void {
	if (queue.nginx !== undefined)
		say(
			`  nginx:             port ${queue.nginx.port} (pid ${queue.nginx.pid}): /webhook/ to the webhook processes in turn, the rest to main`,
		);
	for (const webhook of queue.webhookProcesses)
		say(
			`  ${`${webhook.role}:`.padEnd(19)}port ${webhook.port} (pid ${webhook.pid}): ${queue.nginx ? 'nginx passes' : 'RevOps delivers'} deliveries here; main answers no production webhooks`,
		);
	for (const worker of queue.workers)
		say(
			`  ${`${worker.role}:`.padEnd(19)}pid ${worker.pid}, health check on port ${worker.port}: runs the executions`,
		);
	say(
		`  PostgreSQL 17:     port ${queue.postgres.port}; Redis: port ${queue.redis.port} (append-only)`,
	);
	say(
		`  Logs:              ${queue.folder}/{main,webhook-N,worker-N}/n8n.log${queue.nginx ? ', nginx/nginx.log' : ''} (removed on exit)`,
	);
}

async function main(): Promise<void> {
	const port = process.env.N8N_PORT === undefined ? DEFAULT_PORT : Number(process.env.N8N_PORT);
	const demo = JSON.parse(readFileSync(DEMO_WORKFLOW_FILE, 'utf8')) as DemoWorkflowFile;
	const trigger = triggerNode(demo);
	const credentialName = trigger.credentials?.[CREDENTIAL_TYPE]?.name;
	if (credentialName === undefined)
		throw new Error(
			`The RevOps Trigger in ${DEMO_WORKFLOW_FILE} names no ${CREDENTIAL_TYPE} credential`,
		);

	const { values: flags } = parseArgs({
		options: { queue: { type: 'boolean' }, 'webhook-processes': { type: 'string' } },
	});
	const webhookProcesses =
		flags['webhook-processes'] === undefined ? undefined : Number(flags['webhook-processes']);
	if (
		webhookProcesses !== undefined &&
		!(Number.isInteger(webhookProcesses) && webhookProcesses > 0)
	)
		throw new Error(
			`--webhook-processes takes a whole number from 1 up, not "${flags['webhook-processes']}"`,
		);
	if (webhookProcesses !== undefined && flags.queue !== true)
		throw new Error('--webhook-processes needs --queue');
	const queueMode = flags.queue === true;
	say('Packing n8n-nodes-revops...');
	const tarball = await packPackage(REPO_ROOT);
	const owner = { email: OWNER_EMAIL, password: generatePassword() };
	const queue = queueMode
		? await startN8nQueue({
				tarball,
				port,
				owner,
				log: say,
				webhookProcesses,
				// A given number of webhook processes means one address in front of them.
				behindNginx: webhookProcesses !== undefined,
			})
		: undefined;
	const n8n =
		queue ??
		(await startN8n({
			version: '2.41.1',
			tarball,
			port,
			userFolder: USER_FOLDER,
			owner,
			log: say,
		}));
	// The package is now installed in the user folder; the packed copy is not needed again.
	rmSync(path.dirname(tarball), { recursive: true, force: true });

	const credential = await ensureDemoCredential(n8n, credentialName);
	const nodes = demo.nodes.map((node) =>
		node.name === trigger.name ? { ...node, credentials: { [CREDENTIAL_TYPE]: credential } } : node,
	);
	await n8n.upsertWorkflow(demo.id, {
		name: demo.name,
		nodes,
		connections: demo.connections,
		settings: demo.settings,
	});
	await n8n.activate(demo.id);

	const productionUrl = n8n.webhookUrl(trigger.webhookId);
	say();
	say(
		`n8n ${n8n.version} is running${queue ? ' in queue mode' : ''} with the RevOps Trigger from this checkout.`,
	);
	say(`  Editor:            ${n8n.baseUrl}`);
	say(`  Login:             ${n8n.owner.email} / ${n8n.owner.password}`);
	say(`  Demo workflow:     ${n8n.baseUrl}/workflow/${demo.id} (published)`);
	say(`  Production URL:    ${productionUrl}`);
	say(`  Verification Key:  ${DEMO_VERIFICATION_KEY} (credential "${credential.name}")`);
	if (queue) describeQueue(queue);
	else
		say(
			`  n8n log:           ${path.relative(process.cwd(), path.join(n8n.userFolder, 'n8n.log'))}`,
		);
	say();
	say('Send a signed deal-signed event from another terminal:');
	say(`  npm run revops -- send deal-signed --url ${productionUrl} --key ${DEMO_VERIFICATION_KEY}`);
	say();
	say(
		queue
			? 'Press Ctrl-C to stop every process and remove the temporary folder.'
			: 'Press Ctrl-C to stop n8n.',
	);

	// Ctrl-C is handled by the harness (it stops n8n, then exits); this covers n8n dying alone.
	const howItEnded = await n8n.unexpectedExit();
	throw new Error(`${howItEnded} on its own. Last log lines:\n${n8n.logTail(40)}`);
}

main().catch(async (error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	await stopAll();
	process.exit(1);
});
