/**
 * The README's Troubleshooting section, reproduced in real n8n 2.41.1 and 1.123.81 (queue mode's
 * entries are in queue.e2e.test.ts, nginx's in scale-out.e2e.test.ts, the installer's in
 * install.e2e.test.ts, installer.e2e.test.ts and editor.e2e.test.ts): every answer and
 * log line it quotes is what n8n gave here, and every fix it gives makes the symptom go away.
 */
import { randomUUID } from 'crypto';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import { startN8n, type N8nInstance, type N8nVersion } from '../../tools/n8n/instance';
import { sleep } from '../../tools/n8n/process';
import { chain, noOp, revOpsTrigger, TRIGGER_NAME } from '../../tools/n8n/workflows';
import { sendOnce } from '../../tools/revops/sender';
import { fixtureBytes, TEST_KEY } from '../support/fixtures';
import { rawRequest } from '../support/http';
import { expectQuoted } from '../support/troubleshooting';
import { measurePublishWindow, publish, publishWithTestKey } from './fixture';
import { packedTarball } from './tarball';
import { singleN8n, SUITE_N8N_ENV } from './trigger-suite';

jest.setTimeout(300_000);

const LOG_WAIT_MS = 5_000;
const LOG_LINES = 5_000;

/** The first line of n8n's log that `matches`, waiting up to LOG_WAIT_MS for it; undefined if none came. */
async function logLine(
	n8n: N8nInstance,
	matches: (line: string) => boolean,
): Promise<string | undefined> {
	const deadline = Date.now() + LOG_WAIT_MS;
	for (;;) {
		const line = n8n.logTail(LOG_LINES).split('\n').find(matches);
		if (line !== undefined || Date.now() > deadline) return line;
		await sleep(100);
	}
}

/** n8n's JSON answer to a request it could not route to a webhook. */
interface NotFoundAnswer {
	code: number;
	message: string;
	hint: string;
}

/**
 * Clicks *Execute step* on the trigger, as the editor does through n8n's REST API: n8n then
 * listens on the Test URL for one call. 1.x wants the workflow in the body, 2.x reads it itself.
 */
async function executeStep(n8n: N8nInstance, workflowId: string): Promise<void> {
	const triggerToStartFrom = { name: TRIGGER_NAME };
	const body = n8n.version.startsWith('1.')
		? { workflowData: await n8n.rest('GET', `/rest/workflows/${workflowId}`), triggerToStartFrom }
		: { triggerToStartFrom };
	const started = await n8n.rest<{ waitingForWebhook?: boolean }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		body,
	);
	expect(started.waitingForWebhook).toBe(true);
}

for (const version of ['2.41.1', '1.123.81'] as N8nVersion[]) {
	describe(`Troubleshooting, n8n ${version}`, () => {
		const target = singleN8n(version);
		let n8n: N8nInstance;
		let credential: { id: string; name: string };

		beforeAll(async () => {
			n8n = await target.acquire();
			credential = await n8n.createCredential('RevOps troubleshooting', 'revOpsWebhookApi', {
				verificationSecret: TEST_KEY,
			});
		});

		const deliver = (url: string, key = TEST_KEY) =>
			sendOnce(fixtureBytes('deal-signed.json'), { url, key, timeoutMs: 30_000 });

		it('404 at the Production URL until the workflow is published; the Test URL takes one event per Execute step', async () => {
			const trigger = revOpsTrigger({ credential });
			const webhookId = trigger.webhookId as string;
			const id = await n8n.createWorkflow(chain('Not published yet', [trigger, noOp()]));
			const testUrl = n8n.webhookUrl(webhookId, 'webhook', 'test');

			const production = await deliver(n8n.webhookUrl(webhookId));
			expect(production.status).toBe(404);
			const notPublished = JSON.parse(production.body) as NotFoundAnswer;
			expectQuoted(notPublished.message, webhookId);
			expectQuoted(notPublished.hint);

			const notListening = await deliver(testUrl);
			expect(notListening.status).toBe(404);
			const notListeningAnswer = JSON.parse(notListening.body) as NotFoundAnswer;
			expectQuoted(notListeningAnswer.message, webhookId);
			expectQuoted(notListeningAnswer.hint);

			// One click, one event: once its run has ended, the Test URL answers 404 again (1.x
			// takes a second delivery while that run is still going).
			await executeStep(n8n, id);
			expect((await deliver(testUrl)).body).toBe(ACKNOWLEDGEMENT_TEXT);
			await n8n.executions(id, { expected: 1 });
			expect((await deliver(testUrl)).status).toBe(404);
			await executeStep(n8n, id);
			expect((await deliver(testUrl)).body).toBe(ACKNOWLEDGEMENT_TEXT);

			// The fix for the Production URL.
			await n8n.activate(id);
			expect((await deliver(n8n.webhookUrl(webhookId))).body).toBe(ACKNOWLEDGEMENT_TEXT);
		});

		it('while n8n publishes, deliveries get that 404 for a moment, and then 200', async () => {
			const window = await measurePublishWindow(n8n, revOpsTrigger({ credential }), noOp());
			process.stdout.write(
				`  [publish window] n8n ${version}, one process: publish call answered after ${window.callAnsweredMs} ms, ` +
					`first 200 after ${window.firstAcceptedMs} ms, ${window.notFound} deliveries answered 404 before it\n`,
			);
			// measurePublishWindow fails on any answer but 404 before the first 200, or on a first 200 later than the README says.
		});

		it('a copy of a workflow keeps the trigger webhook id: n8n refuses to publish it, and a new trigger fixes it', async () => {
			const original = revOpsTrigger({ credential });
			const published = await publish(n8n, 'Original', original, noOp());
			// What importing an exported copy of the workflow gives: the same node, the same webhookId.
			const copyId = await n8n.createWorkflow(
				chain('Imported copy', [{ ...original, id: randomUUID() }, noOp()]),
			);
			const refusal = await n8n.activate(copyId).then(
				() => 'published',
				(error: Error) => error.message,
			);
			const [, status, answer] = /answered (\d+): (.*)$/.exec(refusal) ?? [];
			expect(status).toBe(version.startsWith('1.') ? '400' : '409');
			expectQuoted((JSON.parse(answer) as { message: string }).message);

			// The original keeps its URL and runs; the copy never does.
			expect((await deliver(published.url)).body).toBe(ACKNOWLEDGEMENT_TEXT);
			await n8n.executions(published.id, { expected: 1 });
			expect(await n8n.executions(copyId, { expected: 0 })).toEqual([]);

			// The fix: a new RevOps Trigger in the copy, which comes with a webhook id of its own.
			const replaced = revOpsTrigger({ credential });
			await n8n.upsertWorkflow(copyId, chain('Imported copy', [replaced, noOp()]));
			await n8n.activate(copyId);
			expect((await deliver(n8n.webhookUrl(replaced.webhookId as string))).body).toBe(
				ACKNOWLEDGEMENT_TEXT,
			);
		});

		it('a delivery over N8N_PAYLOAD_SIZE_MAX (16 MiB by default): 500 from n8n as JSON, 413 from the trigger otherwise', async () => {
			const workflow = await publish(
				n8n,
				'Too large',
				revOpsTrigger({ authentication: 'none' }),
				noOp(),
			);
			const body = Buffer.from(`{"deal":{"x":"${'y'.repeat(17 * 1024 * 1024)}"}}`);
			const asJson = await rawRequest(workflow.url, {
				headers: { 'content-type': 'application/json' },
				body,
				timeoutMs: 30_000,
			});
			const asBytes = await rawRequest(workflow.url, {
				headers: { 'content-type': 'application/octet-stream' },
				body,
				timeoutMs: 30_000,
			});
			expect([asJson.status, asBytes.status]).toEqual([500, 413]);
			expectQuoted((JSON.parse(asJson.body) as { message: string }).message);
			expectQuoted((JSON.parse(asBytes.body) as { message: string }).message);
			expect(await n8n.executions(workflow.id, { expected: 0 })).toEqual([]);
		});

		it("every delivery refused: 401 with a key that is not the webhook's, 403 from an address outside the allowlist, each with its log line", async () => {
			const wrongKey = await publish(n8n, 'Wrong key', revOpsTrigger({ credential }), noOp());
			const unsigned = await deliver(wrongKey.url, 'a key RevOps never showed');
			expect(unsigned.status).toBe(401);
			expectQuoted((JSON.parse(unsigned.body) as { message: string }).message);

			const allowlisted = await publish(
				n8n,
				'Allowlist',
				revOpsTrigger({ credential, options: { ipAllowlist: '192.0.2.0/24' } }),
				noOp(),
			);
			const outside = await deliver(allowlisted.url);
			expect(outside.status).toBe(403);
			expectQuoted((JSON.parse(outside.body) as { message: string }).message);

			for (const [workflowId, status] of [
				[wrongKey.id, 401],
				[allowlisted.id, 403],
			] as const) {
				// n8n writes the line after the answer has gone out.
				const line = await logLine(
					n8n,
					(candidate) =>
						candidate.includes(`(workflow ${workflowId})`) && candidate.includes(`with ${status}:`),
				);
				expect(line).toBeDefined();
				// The line as the README shows it: from the trigger's name on, the sender written as <address>.
				const quoted = (line as string)
					.slice((line as string).indexOf('RevOps Trigger "'))
					.replace(/ from \S+ /, ' from <address> ')
					.replace(/\s*\{.*$/, '');
				expectQuoted(quoted, workflowId);
			}
		});
	});
}

describe('n8n 2.41.1 with the 1.x name for its public address', () => {
	it('still reads WEBHOOK_URL, logs it as deprecated, and the trigger names the URL it built', async () => {
		// Not https, so the trigger's publishing warning prints the URL n8n built from the variable.
		const legacyAddress = 'http://revops-hooks.invalid/';
		const n8n = await startN8n({
			version: '2.41.1',
			tarball: await packedTarball(),
			env: { ...SUITE_N8N_ENV, WEBHOOK_URL: legacyAddress },
		});
		try {
			const published = await publishWithTestKey(n8n, 'Legacy webhook URL');
			const webhookId = published.url.split('/webhook/')[1].split('/')[0];
			const warning = `the webhook URL ${legacyAddress}webhook/${webhookId}/webhook is not https`;
			expect(await logLine(n8n, (line) => line.includes(warning))).toBeDefined();
			expect(n8n.logTail(LOG_LINES)).toMatch(
				/WEBHOOK_URL[^\n]*\n?[^\n]*Use N8N_WEBHOOK_URL instead/,
			);
		} finally {
			await n8n.stop();
		}
	});
});
