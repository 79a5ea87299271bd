/**
 * Proves the harness against the real n8n: packs the package, then for each n8n version
 * starts n8n, checks the RevOps Trigger loaded, publishes RevOps Trigger -> No Operation,
 * delivers a signed deal-signed event and reads its execution back.
 *
 *   npx tsx tools/n8n/smoke.ts [2.41.1] [1.123.81]     (default: both)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ensureN8n, N8N_VERSIONS, type N8nVersion } from './install';
import { startN8n, stopAll, type N8nInstance } from './instance';
import { packPackage } from './package';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TRIGGER_TYPE = 'n8n-nodes-revops.revOpsTrigger';
const VERIFICATION_KEY = 'revops-test-verification-key';
const WEBHOOK_ID = '5d1f4a8e-0b7c-4c1e-9a63-2f0e8b7d4c11';
/** HMAC-SHA256 of test/fixtures/deal-signed.json under VERIFICATION_KEY. */
const DEAL_SIGNED_HMAC = '8ad64708006727c9f1039cadf41fd1593f67313f82f8130059968f0dbceae683';
const ACKNOWLEDGEMENT = 'RevOps API Event Received';

interface Timings {
	installCheckMs: number;
	startToReadyMs: number;
	activationMs: number;
	wholeRunMs: number;
}

function log(line: string): void {
	process.stdout.write(`${line}\n`);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
	const started = Date.now();
	const result = await work();
	return [result, Date.now() - started];
}

function check(condition: boolean, message: string, instance: N8nInstance): void {
	if (!condition) throw new Error(`${message}\nLast n8n log lines:\n${instance.logTail(40)}`);
}

async function smoke(version: N8nVersion, tarball: string): Promise<Timings> {
	const runStarted = Date.now();
	const [, installCheckMs] = await timed(async () => await ensureN8n(version, log));
	const [instance, startToReadyMs] = await timed(async () => await startN8n({ version, tarball, log }));
	let activationMs = 0;
	try {
		check((await instance.nodeTypes()).includes(TRIGGER_TYPE), `n8n ${version} did not load ${TRIGGER_TYPE}`, instance);

		const credential = await instance.createCredential('RevOps smoke key', 'revOpsWebhookApi', { verificationSecret: VERIFICATION_KEY });
		const workflowId = await instance.createWorkflow({
			name: 'RevOps smoke',
			nodes: [
				{
					name: 'RevOps Trigger',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId: WEBHOOK_ID,
					parameters: { events: ['*'], authentication: 'verificationKey' },
					credentials: { revOpsWebhookApi: credential },
				},
				{ name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { 'RevOps Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		});
		[, activationMs] = await timed(async () => await instance.activate(workflowId));

		const url = instance.webhookUrl(WEBHOOK_ID);
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-RevOps-Content-Hmac': DEAL_SIGNED_HMAC },
			body: readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'deal-signed.json')),
		});
		const body = await response.text();
		log(`POST ${url} -> ${response.status} ${body}`);
		check(response.status === 200 && body.includes(ACKNOWLEDGEMENT), `Unexpected answer ${response.status}: ${body}`, instance);

		const [execution] = await instance.executions(workflowId, { expected: 1 });
		check(execution !== undefined, 'No execution recorded', instance);
		const triggerItem = execution?.itemsByNode['RevOps Trigger']?.[0];
		log(`execution ${execution?.id}: ${execution?.status}, trigger item eventType ${String(triggerItem?.eventType)}`);
		check(execution?.status === 'success', `Execution ended ${execution?.status}: ${execution?.error ?? ''}`, instance);
		check(triggerItem?.eventType === 'deal-signed', `Trigger item is ${JSON.stringify(triggerItem)}`, instance);
		check(execution?.itemsByNode['No Operation']?.length === 1, 'No Operation did not receive the item', instance);
	} finally {
		await instance.stop();
	}
	return { installCheckMs, startToReadyMs, activationMs, wholeRunMs: Date.now() - runStarted };
}

async function main(): Promise<void> {
	const requested = process.argv.slice(2);
	const unknown = requested.filter((version) => !(N8N_VERSIONS as readonly string[]).includes(version));
	if (unknown.length > 0) throw new Error(`Unknown n8n version(s) ${unknown.join(', ')}; known: ${N8N_VERSIONS.join(', ')}`);
	const versions = requested.length > 0 ? (requested as N8nVersion[]) : [...N8N_VERSIONS];

	const [tarball, packMs] = await timed(async () => await packPackage(REPO_ROOT));
	log(`packed ${tarball} in ${packMs} ms`);
	const results: Array<[N8nVersion, Timings]> = [];
	for (const version of versions) results.push([version, await smoke(version, tarball)]);
	for (const [version, t] of results) {
		log(
			`n8n ${version}: install check ${t.installCheckMs} ms, start to ready ${t.startToReadyMs} ms, ` +
				`activation ${t.activationMs} ms, whole run ${t.wholeRunMs} ms`,
		);
	}
	log('smoke test passed');
}

main().catch(async (error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	await stopAll();
	process.exit(1);
});
