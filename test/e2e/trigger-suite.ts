/**
 * The RevOps Trigger inside a real n8n, driven over real HTTP on 127.0.0.1: the package
 * installed as Settings > Community nodes installs it, workflows published, executions read
 * back through n8n's public API. Run once per supported n8n version.
 */
import { createHmac, randomUUID } from 'crypto';

import { startN8n, type N8nInstance, type N8nVersion } from '../../tools/n8n/instance';
import { sleep } from '../../tools/n8n/process';
import { EXECUTION_LAG_BOUND_MS, EXECUTION_QUIET_MS } from '../../tools/n8n/executions';
import { groupResidentMiB } from '../../tools/load/memory';
import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import { SIGNATURE_MISMATCH } from '../../nodes/RevOpsTrigger/verify';
import { REJECTION_LOG_BURST } from '../../nodes/RevOpsTrigger/rejection-log';
import { deliver, sendOnce } from '../../tools/revops/sender';
import { BillingStub } from '../support/services/billing';
import { EXPECTED_ITEMS, expectedItem } from '../support/expected-items';
import { fixtureBytes, jsonBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';
import { rawRequest } from '../support/http';
import { itemChecker } from '../support/output-schema';
import { paddedVersion } from '../../tools/schema/paths';
import { outputSchema } from '../../tools/schema/output-schema';
import {
	acknowledgeToRevOps,
	chain,
	ifTrue,
	noOp,
	postToBilling,
	removeRepeatedDeliveries,
	revOpsTrigger as buildTrigger,
	type N8nNode,
	type NodeVersion,
	LATEST_NODE_VERSION,
	type TriggerNodeSpec,
} from '../../tools/n8n/workflows';
import {
	publish as publishTo,
	signedPost,
	triggerItems as triggerItemsOf,
	type Published,
} from './fixture';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';

const FIXTURES = Object.keys(EXPECTED_ITEMS);
const SIGNATURE_ERROR = {
	code: 401,
	message: SIGNATURE_MISMATCH,
};

/** Starting n8n takes seconds and reading executions back polls: generous, bounded limits. */
const TEST_TIMEOUT_MS = 300_000;

/**
 * n8n trusts one proxy hop in every topology the suite runs, so a test can stand in for the
 * reverse proxy that sets X-Forwarded-For; a request without that header is unaffected.
 */
export const SUITE_N8N_ENV = { N8N_PROXY_HOPS: '1' };

/**
 * Where the suite runs: one n8n (or queue mode's set) per test file, shared by the suite at
 * every node version, since each test publishes workflows of its own. The file stops it.
 */
export interface SuiteTarget {
	label: string;
	/**
	 * The address n8n reports (`req.ip`) for a client on 127.0.0.1: `127.0.0.1` on an IPv4
	 * socket, `::ffff:127.0.0.1` on an IPv6 one.
	 */
	clientAddress: string;
	/** The running n8n, started by the first call. */
	acquire: () => Promise<N8nInstance>;
}

/**
 * One n8n for the calling test file, stopped after its last test (call it at the top level);
 * on an IPv6 socket (bound to the IPv4-mapped loopback), it reports IPv4 clients in IPv6
 * spelling.
 */
export function singleN8n(version: N8nVersion, socket: 'IPv4' | 'IPv6' = 'IPv4'): SuiteTarget {
	const ipv6 = socket === 'IPv6';
	let starting: Promise<N8nInstance> | undefined;
	afterAll(async () => {
		await (await starting)?.stop();
	});
	return {
		label: `n8n ${version}${ipv6 ? ' on an IPv6 socket' : ''}`,
		clientAddress: ipv6 ? '::ffff:127.0.0.1' : '127.0.0.1',
		acquire: async () =>
			await (starting ??= packedTarball().then(
				async (tarball) =>
					await startN8n({
						version,
						tarball,
						env: { ...SUITE_N8N_ENV, ...(ipv6 ? { N8N_LISTEN_ADDRESS: '::ffff:127.0.0.1' } : {}) },
					}),
			)),
	};
}

/** The whole suite against one version of the node; each supported version runs it. */
export function triggerSuite(target: SuiteTarget, nodeVersion: NodeVersion): void {
	jest.setTimeout(TEST_TIMEOUT_MS);
	const revOpsTrigger = (spec: TriggerNodeSpec) =>
		buildTrigger({ ...spec, typeVersion: nodeVersion });
	/**
	 * The node's versions differ only in what n8n hands the node: above version 1, n8n reads only
	 * JSON, text, form and XML bodies and the node reads the rest itself. Tests of how a delivery
	 * arrives (bodies, content types, GET, sizes, bad input) and the per-version schema run at
	 * every version; the rest, whose code path is the same, at the version new workflows get.
	 */
	const atDefaultVersion = (name: string, test: () => Promise<void>) => {
		if (nodeVersion === LATEST_NODE_VERSION) it(name, test);
	};
	describe(`RevOps Trigger ${nodeVersion === 1 ? '1.0' : nodeVersion} in ${target.label}`, () => {
		let n8n: N8nInstance;
		let credential: { id: string; name: string };
		const billing = new BillingStub();

		// The shared helpers (fixture.ts), bound to this suite's n8n.
		const publish = (name: string, trigger: N8nNode, ...rest: N8nNode[]) =>
			publishTo(n8n, name, trigger, ...rest);
		const triggerItems = (workflow: Published, expected: number, quiet?: 'quiet') =>
			triggerItemsOf(n8n, workflow, expected, quiet);

		/** The output schema n8n serves for this node version, as its editor asks for it. */
		const schemaUrl = (version: number | string) =>
			`${n8n.baseUrl}/schemas/n8n-nodes-revops.revOpsTrigger/${paddedVersion(version)}.json`;
		let servedChecker: Promise<(item: unknown) => string[]> | undefined;
		async function checkServed(items: Array<Record<string, unknown>>) {
			servedChecker ??= rawRequest(schemaUrl(nodeVersion), { method: 'GET' }).then((answer) => {
				expect(answer.status).toBe(200);
				return itemChecker(JSON.parse(answer.body) as object);
			});
			const check = await servedChecker;
			for (const item of items) expect(check(item)).toEqual([]);
		}

		beforeAll(async () => {
			await billing.serve();
			n8n = await target.acquire();
			credential = await n8n.createCredential('RevOps test webhook', 'revOpsWebhookApi', {
				verificationSecret: TEST_KEY,
			});
		});

		afterAll(async () => {
			await billing.close();
		});

		printLogTailOnFailure(() => n8n);

		it('loads from the installed tarball as n8n-nodes-revops.revOpsTrigger', async () => {
			expect(await n8n.nodeTypes()).toContain('n8n-nodes-revops.revOpsTrigger');
		});

		it(`serves the generated output schema at /schemas/…/${paddedVersion(nodeVersion)}.json without a login, and no other version`, async () => {
			const answer = await rawRequest(schemaUrl(nodeVersion), { method: 'GET' });
			expect([answer.status, answer.contentType]).toEqual([
				200,
				expect.stringMatching(/^application\/json/),
			]);
			expect(JSON.parse(answer.body)).toEqual(outputSchema());
			// The route reads exactly __schema__/v<version>.json: no fallback to another version.
			expect((await rawRequest(schemaUrl('9.9'), { method: 'GET' })).status).toBe(404);
		});

		it('turns every fixture, POSTed and signed, into exactly the documented item', async () => {
			// Includes RevOps' example shapes: "" for unset values, and the curl example's string event.
			const workflow = await publish('Every event', revOpsTrigger({ credential }), noOp());
			for (const name of FIXTURES) {
				const answer = await signedPost(workflow.url, name);
				expect({
					name,
					status: answer.status,
					ack: answer.body.includes(ACKNOWLEDGEMENT_TEXT),
				}).toEqual({
					name,
					status: 200,
					ack: true,
				});
			}
			const items = await triggerItems(workflow, FIXTURES.length);
			items.forEach((item, index) => expect(item).toEqual(expectedItem(FIXTURES[index], true)));
			await checkServed(items);
		});

		it('accepts every fixture by GET, signed over the payload parameter', async () => {
			const workflow = await publish('Every event by GET', revOpsTrigger({ credential }), noOp());
			for (const name of FIXTURES) {
				const answer = await sendOnce(fixtureBytes(name), {
					url: workflow.url,
					key: TEST_KEY,
					method: 'GET',
				});
				expect({
					name,
					status: answer.status,
					ack: answer.body.includes(ACKNOWLEDGEMENT_TEXT),
				}).toEqual({
					name,
					status: 200,
					ack: true,
				});
			}
			const items = await triggerItems(workflow, FIXTURES.length);
			items.forEach((item, index) => expect(item).toEqual(expectedItem(FIXTURES[index], true)));
			await checkServed(items);
		});

		it('accepts a signed body sent without a content type or as application/octet-stream, which n8n leaves to the node above version 1', async () => {
			const workflow = await publish('Any content type', revOpsTrigger({ credential }), noOp());
			const signature = { 'x-revops-content-hmac': SIGNATURE_VECTORS['deal-signed.json'] };
			for (const contentType of [undefined, 'application/octet-stream']) {
				const headers =
					contentType === undefined ? signature : { ...signature, 'content-type': contentType };
				const answer = await rawRequest(workflow.url, {
					headers,
					body: fixtureBytes('deal-signed.json'),
				});
				expect({ contentType, status: answer.status, body: answer.body }).toEqual({
					contentType,
					status: 200,
					body: ACKNOWLEDGEMENT_TEXT,
				});
			}
			const items = await triggerItems(workflow, 2);
			items.forEach((item) => expect(item).toEqual(expectedItem('deal-signed', true)));
		});

		atDefaultVersion(
			'acknowledges events that are not selected without starting an execution',
			async () => {
				const workflow = await publish(
					'Signed deals only',
					revOpsTrigger({ credential, events: ['deal-signed'] }),
					noOp(),
				);
				for (const name of [
					'deal-created',
					'deal-updated',
					'deal-active',
					'account-created',
					'account-updated',
					'account-deleted',
					'deal-signed',
				]) {
					const answer = await signedPost(workflow.url, name);
					expect({ name, status: answer.status, body: answer.body }).toEqual({
						name,
						status: 200,
						body: ACKNOWLEDGEMENT_TEXT,
					});
				}
				const items = await triggerItems(workflow, 1, 'quiet');
				expect(items.map((item) => item.eventType)).toEqual(['deal-signed']);
			},
		);

		atDefaultVersion(
			'checks signatures: good and upper-case pass, missing and wrong get 401',
			async () => {
				const workflow = await publish('Signatures', revOpsTrigger({ credential }), noOp());
				const file = 'deal-signed.json';
				const missing = await rawRequest(workflow.url, {
					headers: { 'content-type': 'application/json' },
					body: fixtureBytes(file),
				});
				const wrong = await signedPost(workflow.url, file, {
					'X-RevOps-Content-Hmac': SIGNATURE_VECTORS['account-created.json'],
				});
				const otherKey = await sendOnce(fixtureBytes(file), {
					url: workflow.url,
					key: 'not-the-key',
				});
				expect([missing.status, JSON.parse(missing.body)]).toEqual([401, SIGNATURE_ERROR]);
				expect([wrong.status, JSON.parse(wrong.body)]).toEqual([401, SIGNATURE_ERROR]);
				expect([otherKey.status, JSON.parse(otherKey.body)]).toEqual([401, SIGNATURE_ERROR]);
				expect(JSON.stringify([missing, wrong, otherKey])).not.toContain(TEST_KEY);

				const upper = await signedPost(workflow.url, file, {
					'X-RevOps-Content-Hmac': SIGNATURE_VECTORS[file].toUpperCase(),
				});
				const good = await signedPost(workflow.url, file);
				expect([upper.status, upper.body, good.status, good.body]).toEqual([
					200,
					ACKNOWLEDGEMENT_TEXT,
					200,
					ACKNOWLEDGEMENT_TEXT,
				]);
				const items = await triggerItems(workflow, 2, 'quiet');
				expect(items.map((item) => item.signatureVerified)).toEqual([true, true]);
			},
		);

		atDefaultVersion(
			'rotates the Verification Key during a 200-event stream: none refused or lost while both keys are held, the old one refused once removed',
			async () => {
				const NEW_KEY = 'rotated-verification-key';
				const rotating = await n8n.createCredential('RevOps key rotation', 'revOpsWebhookApi', {
					verificationSecret: NEW_KEY,
					verificationSecret2: TEST_KEY,
				});
				const workflow = await publish(
					'Key rotation',
					revOpsTrigger({ credential: rotating }),
					noOp(),
				);
				const event = (index: number) =>
					jsonBytes({
						event: { id: `rotation-${index}`, type: 'deal-updated' },
						deal: { id: 'd-rotation' },
					});
				const refused: number[] = [];
				for (let index = 0; index < 200; index++) {
					// RevOps moves to the new key halfway through the stream.
					const answer = await sendOnce(event(index), {
						url: workflow.url,
						key: index < 100 ? TEST_KEY : NEW_KEY,
						timeoutMs: 30_000,
					});
					if (answer.status !== 200) refused.push(index);
				}
				expect(refused).toEqual([]);
				const items = await triggerItems(workflow, 200);
				expect(items.map((item) => item.eventId)).toEqual(
					Array.from({ length: 200 }, (_, index) => `rotation-${index}`),
				);
				expect(items.map((item) => item.verifiedWithKey)).toEqual([
					...Array<number>(100).fill(2),
					...Array<number>(100).fill(1),
				]);
				// The rotation is finished: the old key leaves the credential.
				await n8n.rest('PATCH', `/rest/credentials/${rotating.id}`, {
					name: rotating.name,
					type: 'revOpsWebhookApi',
					data: { verificationSecret: NEW_KEY, verificationSecret2: '' },
				});
				expect((await sendOnce(event(200), { url: workflow.url, key: TEST_KEY })).status).toBe(401);
				expect((await sendOnce(event(201), { url: workflow.url, key: NEW_KEY })).status).toBe(200);
			},
		);

		atDefaultVersion(
			'takes two RevOps webhooks with their own keys into one workflow, and refuses a forgery with one to five keys held',
			async () => {
				const keys = [
					'production-webhook-key',
					'sandbox-webhook-key',
					'third-webhook-key',
					'fourth-webhook-key',
					'fifth-webhook-key',
				];
				const both = await n8n.createCredential('RevOps two webhooks', 'revOpsWebhookApi', {
					verificationSecret: keys[0],
					verificationSecret2: keys[1],
				});
				const workflow = await publish('Two webhooks', revOpsTrigger({ credential: both }), noOp());
				const answers = await Promise.all(
					[0, 1].map(async (sender) => {
						const statuses: number[] = [];
						for (let index = 0; index < 10; index++) {
							const body = jsonBytes({
								event: { id: `webhook-${sender}-${index}`, type: 'account-updated' },
								account: { account_id: `a-${sender}` },
							});
							statuses.push(
								(await sendOnce(body, { url: workflow.url, key: keys[sender], timeoutMs: 30_000 }))
									.status ?? 0,
							);
						}
						return statuses;
					}),
				);
				expect(answers).toEqual([Array<number>(10).fill(200), Array<number>(10).fill(200)]);
				const items = await triggerItems(workflow, 20);
				const byKey = (position: number) =>
					items.filter((item) => item.verifiedWithKey === position).map((item) => item.accountId);
				expect([byKey(1), byKey(2)]).toEqual([
					Array<string>(10).fill('a-0'),
					Array<string>(10).fill('a-1'),
				]);
				for (let count = 1; count <= keys.length; count++) {
					const fields = Object.fromEntries(
						keys
							.slice(0, count)
							.map((key, index) => [
								index === 0 ? 'verificationSecret' : `verificationSecret${index + 1}`,
								key,
							]),
					);
					const held = await n8n.createCredential(
						`RevOps ${count} keys`,
						'revOpsWebhookApi',
						fields,
					);
					const forgeryTarget = await publish(
						`Forgery against ${count} keys`,
						revOpsTrigger({ credential: held }),
						noOp(),
					);
					const forged = await sendOnce(fixtureBytes('deal-signed.json'), {
						url: forgeryTarget.url,
						key: 'not-one-of-the-keys',
					});
					const genuine = await sendOnce(fixtureBytes('deal-signed.json'), {
						url: forgeryTarget.url,
						key: keys[count - 1],
					});
					expect({ count, forged: forged.status, genuine: genuine.status }).toEqual({
						count,
						forged: 401,
						genuine: 200,
					});
				}
			},
		);

		atDefaultVersion(
			'fails closed with an empty Verification Key: 401 for every delivery, and the log says why',
			async () => {
				const emptyKey = await n8n.createCredential(
					'RevOps webhook without a key',
					'revOpsWebhookApi',
					{ verificationSecret: '' },
				);
				const workflow = await publish(
					'Empty key',
					revOpsTrigger({ credential: emptyKey }),
					noOp(),
				);
				const body = fixtureBytes('deal-signed.json');
				const signedWithEmptyKey = await sendOnce(body, { url: workflow.url, key: '' });
				const unsigned = await rawRequest(workflow.url, {
					headers: { 'content-type': 'application/json' },
					body,
				});
				const message = {
					code: 401,
					message: 'The trigger has no Verification Key, so it cannot verify any delivery',
				};
				expect([signedWithEmptyKey.status, JSON.parse(signedWithEmptyKey.body)]).toEqual([
					401,
					message,
				]);
				expect([unsigned.status, JSON.parse(unsigned.body)]).toEqual([401, message]);
				expect(n8n.logTail(200_000)).toContain(
					'the RevOps Webhook API credential holds no Verification Key',
				);
				expect(await n8n.executions(workflow.id, { expected: 0 })).toEqual([]);
			},
		);

		atDefaultVersion(
			'refuses a signed GET with bracketed query keys, so a signed body cannot be replayed as a query',
			async () => {
				const workflow = await publish('Signed GETs', revOpsTrigger({ credential }), noOp());
				const body = jsonBytes({
					event: { type: 'account-updated' },
					account: { name: 'x&event[type]=deal-signed&deal[id]=free' },
				});
				const replay = await rawRequest(`${workflow.url}?${body.toString('utf8')}`, {
					method: 'GET',
					headers: {
						'x-revops-content-hmac': createHmac('sha256', TEST_KEY).update(body).digest('hex'),
					},
				});
				expect(replay.status).toBe(401);
				expect(JSON.parse(replay.body).message).toContain(
					'bracketed query keys are accepted only with Authentication set to None',
				);
				const viaPayload = await sendOnce(body, {
					url: workflow.url,
					key: TEST_KEY,
					method: 'GET',
				});
				expect([viaPayload.status, viaPayload.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
				const items = await triggerItems(workflow, 1, 'quiet');
				expect(items.map((item) => [item.eventType, item.accountName])).toEqual([
					['account-updated', 'x&event[type]=deal-signed&deal[id]=free'],
				]);
			},
		);

		atDefaultVersion(
			'reads money exactly in ISO 4217 minor units in USD, JPY, KWD and CLF, whatever precision RevOps wrote, from strings and JSON numbers',
			async () => {
				const workflow = await publish('Money', revOpsTrigger({ authentication: 'none' }), noOp());
				const deals: Array<[Record<string, unknown>, Record<string, unknown>, string[]?]> = [
					[
						{ net_price: '44400', net_price_currency: 'USD' },
						{ amount: '44400.00', currency: 'USD', minorUnitDigits: 2, minorUnits: 4440000 },
					],
					// Precision 4 writes four decimals; the count is still in cents, never 444000000.
					[
						{ net_price: '44400.0000', net_price_currency: 'USD', net_price_precision: 4 },
						{ amount: '44400.00', currency: 'USD', minorUnitDigits: 2, minorUnits: 4440000 },
					],
					[
						{ net_price: '0.125', net_price_currency: 'USD', net_price_precision: 3 },
						{ amount: '0.125', currency: 'USD', minorUnitDigits: 2, minorUnits: null },
						[
							'deal.net_price: 0.125 has a fraction of the smallest unit of USD (2 decimal places), so it has no exact minor units',
						],
					],
					[
						{ net_price: '19.99', net_price_currency: 'XYZ', net_price_precision: 2 },
						{ amount: '19.99', currency: 'XYZ', minorUnitDigits: null, minorUnits: null },
						[
							'deal.net_price_currency: "XYZ" is not an ISO 4217 currency with a minor unit, so the amount is not counted in minor units',
						],
					],
					[
						{ net_price: 44400.5, net_price_currency: 'USD', net_price_precision: 2 },
						{ amount: '44400.50', currency: 'USD', minorUnitDigits: 2, minorUnits: 4440050 },
					],
					[
						{ net_price: '4860000', net_price_currency: 'JPY', net_price_precision: '' },
						{ amount: '4860000', currency: 'JPY', minorUnitDigits: 0, minorUnits: 4860000 },
					],
					[
						{ net_price: 4860000, net_price_currency: 'JPY', net_price_precision: 0 },
						{ amount: '4860000', currency: 'JPY', minorUnitDigits: 0, minorUnits: 4860000 },
					],
					[
						{ net_price: '12.345', net_price_currency: 'KWD' },
						{ amount: '12.345', currency: 'KWD', minorUnitDigits: 3, minorUnits: 12345 },
					],
					[
						{ net_price: 12.345, net_price_currency: 'KWD', net_price_precision: '3' },
						{ amount: '12.345', currency: 'KWD', minorUnitDigits: 3, minorUnits: 12345 },
					],
					[
						{ net_price: '1.5', net_price_currency: 'CLF' },
						{ amount: '1.5000', currency: 'CLF', minorUnitDigits: 4, minorUnits: 15000 },
					],
					[
						{ net_price: 1.5, net_price_currency: 'CLF', net_price_precision: 4 },
						{ amount: '1.5000', currency: 'CLF', minorUnitDigits: 4, minorUnits: 15000 },
					],
				];
				for (const [index, [deal]] of deals.entries()) {
					const answer = await rawRequest(workflow.url, {
						headers: { 'content-type': 'application/json' },
						body: jsonBytes({
							event: { id: `money-${index}`, type: 'deal-signed' },
							deal: { id: `d-${index}`, ...deal },
						}),
					});
					expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
				}
				const items = await triggerItems(workflow, deals.length);
				expect(items.map((item) => [item.netPrice, item.warnings])).toEqual(
					deals.map(([, money, warnings]) => [money, warnings ?? []]),
				);
				await checkServed(items);
			},
		);

		atDefaultVersion(
			'keeps numeric ids on both sides of 2^53 as sent, so their dedupeKeys differ',
			async () => {
				const workflow = await publish(
					'Numeric ids',
					revOpsTrigger({ authentication: 'none' }),
					noOp(),
				);
				// Written as text: JSON.stringify would round them before they leave the test.
				const ids = ['9007199254740991', '9007199254740992', '9007199254740993'];
				for (const id of ids) {
					const body = `{"event":{"id":${id},"type":"deal-signed"},"deal":{"id":"d","account_id":${id},"terms":[{"friendly_name":"PO","value":${id}}]}}`;
					const answer = await rawRequest(workflow.url, {
						headers: { 'content-type': 'application/json' },
						body,
					});
					expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
				}
				const items = await triggerItems(workflow, ids.length);
				expect(
					items.map((item) => [
						item.eventId,
						item.accountId,
						(item.terms as Record<string, unknown>).PO,
						item.dedupeKey,
						item.warnings,
					]),
				).toEqual(ids.map((id) => [id, id, id, `deal-signed:id:${id}`, []]));
			},
		);

		atDefaultVersion(
			'refuses to publish a trigger whose settings it cannot use, so no event is acknowledged and dropped',
			async () => {
				// n8n 2.x itself refuses to publish a required list left empty, with its own message.
				const emptyListRefusal = n8n.version.startsWith('2.')
					? 'Missing or invalid required parameters: events'
					: "'Trigger On' is an empty list";
				const unusable: Array<[TriggerNodeSpec, string]> = [
					[{ events: [] }, emptyListRefusal],
					[{ events: '={{ "deal" }}' }, "'Trigger On' is the text 'deal'"],
					[
						{ options: { maxEventAgeMinutes: "={{ 'half an hour' }}" } },
						"'Reject Events Older Than (Minutes)' is the text 'half an hour'",
					],
					[{ options: { ipAllowlist: '={{ 127 }}' } }, "'IP(s) Allowlist' is the number 127"],
					[{ authentication: 'verificationkey' }, "'Authentication' is the text 'verificationkey'"],
				];
				// Created one after the other: n8n 1.x on SQLite fails concurrent creations (and every
				// later query). n8n 2.41.1 takes about 15 s to report a failed publication, so there the
				// cases are published side by side; 1.x activates synchronously, one at a time.
				const workflows: Array<{ id: string; trigger: N8nNode; message: string }> = [];
				for (const [spec, message] of unusable) {
					const trigger = revOpsTrigger({ credential, ...spec });
					const id = await n8n.createWorkflow(chain(`Unusable: ${message}`, [trigger, noOp()]));
					workflows.push({ id, trigger, message });
				}
				const refusePublishing = async ({ id, message }: (typeof workflows)[number]) =>
					await expect(n8n.activate(id)).rejects.toThrow(message);
				if (n8n.version.startsWith('2.')) await Promise.all(workflows.map(refusePublishing));
				else for (const workflow of workflows) await refusePublishing(workflow);
				for (const { trigger, message } of workflows) {
					// Not registered, so n8n itself answers 404 and RevOps delivers again.
					const url = n8n.webhookUrl(trigger.webhookId as string);
					const answer = await signedPost(url, 'deal-signed.json');
					expect({ message, status: answer.status }).toEqual({ message, status: 404 });
				}
				// Their quiet periods run side by side: each delivery was sent before they began.
				const executions = await Promise.all(
					workflows.map(async ({ id }) => await n8n.executions(id, { expected: 0 })),
				);
				expect(executions.flat()).toEqual([]);
			},
		);

		atDefaultVersion(
			`lists a run within ${EXECUTION_LAG_BOUND_MS} ms of the answer, which is what a quiet period of ${EXECUTION_QUIET_MS} ms relies on`,
			async () => {
				const workflow = await publish('Run lag', revOpsTrigger({ credential }), noOp());
				const lags: number[] = [];
				for (let index = 0; index < 10; index++) {
					const answer = await signedPost(workflow.url, 'deal-signed.json');
					expect(answer.status).toBe(200);
					const answeredAt = Date.now();
					while ((await n8n.executions(workflow.id)).length <= index) {
						if (Date.now() - answeredAt > 10 * EXECUTION_LAG_BOUND_MS) break;
						await sleep(20);
					}
					lags.push(Date.now() - answeredAt);
				}
				const sorted = [...lags].sort((x, y) => x - y);
				console.log(
					`${target.label}: a run is listed ${sorted[0]}–${sorted.at(-1)} ms after the answer (median ${sorted[5]} ms); quiet period ${EXECUTION_QUIET_MS} ms`,
				);
				expect(Math.max(...lags)).toBeLessThan(EXECUTION_LAG_BOUND_MS);
			},
		);

		atDefaultVersion(
			'checks the IP allowlist against the address n8n reports, IPv4 or IPv4-mapped IPv6, and behind one proxy hop against X-Forwarded-For',
			async () => {
				const loopback = await publish(
					'Allowlist: loopback',
					revOpsTrigger({ credential, options: { ipAllowlist: '127.0.0.1' } }),
					noOp(),
				);
				const mapped = await publish(
					'Allowlist: mapped loopback',
					revOpsTrigger({ credential, options: { ipAllowlist: '::ffff:127.0.0.0/104' } }),
					noOp(),
				);
				const office = await publish(
					'Allowlist: office range',
					revOpsTrigger({ credential, options: { ipAllowlist: '203.0.113.0/24' } }),
					noOp(),
				);
				const statuses = {
					loopback: (await signedPost(loopback.url, 'deal-signed.json')).status,
					mapped: (await signedPost(mapped.url, 'deal-signed.json')).status,
					officeDirect: (await signedPost(office.url, 'deal-signed.json')).status,
					officeViaProxy: (
						await signedPost(office.url, 'deal-signed.json', { 'X-Forwarded-For': '203.0.113.9' })
					).status,
					// With one trusted hop, only the address the proxy appended counts, not what the client wrote.
					spoofedViaProxy: (
						await signedPost(office.url, 'deal-signed.json', {
							'X-Forwarded-For': '203.0.113.9, 198.51.100.1',
						})
					).status,
				};
				expect(statuses).toEqual({
					loopback: 200,
					mapped: 200,
					officeDirect: 403,
					officeViaProxy: 200,
					spoofedViaProxy: 403,
				});
				await triggerItems(office, 1, 'quiet');
				const refusals = n8n
					.logTail(100_000)
					.split('\n')
					.filter((line) => line.includes(`(workflow ${office.id}) refused a delivery`));
				expect(refusals).toEqual([
					expect.stringContaining(
						`from ${target.clientAddress} (claims event deal-signed) with 403`,
					),
					expect.stringContaining('from 198.51.100.1 (claims event deal-signed) with 403'),
				]);
			},
		);

		atDefaultVersion(
			'refuses events older than the maximum age, and events without a time, in a real n8n',
			async () => {
				const workflow = await publish(
					'Maximum age',
					revOpsTrigger({ credential, options: { maxEventAgeMinutes: 60 } }),
					noOp(),
				);
				// RevOps writes event.time in Unix seconds.
				const at = (time: number | undefined) =>
					jsonBytes({
						event: {
							id: `age-${time}`,
							type: 'deal-updated',
							...(time === undefined ? {} : { time }),
						},
						deal: { id: 'd-age' },
					});
				const send = async (body: Buffer) => {
					const answer = await sendOnce(body, { url: workflow.url, key: TEST_KEY });
					return [
						answer.status,
						answer.status === 200 ? answer.body : JSON.parse(answer.body).message,
					];
				};
				expect(await send(at(Math.floor(Date.now() / 1000) - 59 * 60))).toEqual([
					200,
					ACKNOWLEDGEMENT_TEXT,
				]);
				expect(await send(at(Math.floor(Date.now() / 1000) - 61 * 60))).toEqual([
					403,
					'The event is older than the 60 minutes this trigger accepts',
				]);
				expect(await send(at(undefined))).toEqual([
					403,
					'The event has no usable "event.time", so its age cannot be checked',
				]);
				await triggerItems(workflow, 1, 'quiet');
			},
		);

		it("answers a 16 MiB body of unreadable flags and terms within RevOps' 30 s, with a bounded item, and saves the execution", async () => {
			const workflow = await publish(
				'Largest body',
				revOpsTrigger({ authentication: 'none' }),
				noOp(),
			);
			const flag = '{"enabled":"x"},';
			const term = '{"friendly_name":{}},';
			const head = '{"event":{"id":"big","type":"deal-signed"},"deal":{"feature_flags":[';
			// n8n's default N8N_PAYLOAD_SIZE_MAX is 16 MiB; stay 1 KiB under it.
			const half = Math.floor((16 * 1024 * 1024 - 1024 - head.length) / 2);
			const [flagCount, termCount] = [
				Math.floor(half / flag.length),
				Math.floor(half / term.length),
			];
			const body = `${head}${flag.repeat(flagCount).slice(0, -1)}],"terms":[${term.repeat(termCount).slice(0, -1)}]}}`;
			const entries = flagCount + termCount;
			// A flag warns twice (its `enabled` is unreadable, and it has no name to list it by), a term once.
			const warned = 2 * flagCount + termCount;
			const before = groupResidentMiB(n8n.pid);
			const started = Date.now();
			const answer = await rawRequest(workflow.url, {
				headers: { 'content-type': 'application/json' },
				body,
				timeoutMs: 30_000,
			});
			const answeredMs = Date.now() - started;
			expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
			const [item] = await triggerItems(workflow, 1);
			const after = groupResidentMiB(n8n.pid);
			process.stdout.write(
				`  [16 MiB] ${target.label}: ${(Buffer.byteLength(body) / 1024 / 1024).toFixed(2)} MiB, ${entries} unreadable entries, answered in ${answeredMs} ms; ` +
					`n8n resident ${before} MiB before, ${after} MiB after\n`,
			);
			expect(answeredMs).toBeLessThan(30_000);
			const warnings = item.warnings as string[];
			expect(warnings).toHaveLength(21);
			expect(warnings[20]).toBe(`... and ${warned - 20} more warnings like these, not listed`);
			expect(item.enabledFeatureFlags).toEqual([]);
			expect(item.disabledFeatureFlags).toEqual([]);
			expect(item.terms).toEqual({});
		});

		it('answers each class of bad input with a 4xx and starts nothing', async () => {
			const workflow = await publish(
				'Unsigned, for bad input',
				revOpsTrigger({ authentication: 'none' }),
				noOp(),
			);
			const json = { 'content-type': 'application/json' };
			const text = { 'content-type': 'text/plain' };
			const cases: Array<
				[
					string,
					{ method?: string; headers?: Record<string, string>; body?: string },
					number,
					string,
				]
			> = [
				[
					'malformed JSON as text/plain',
					{ headers: text, body: '{"event": {' },
					400,
					'The body is not valid JSON: RevOps sends one JSON object per delivery',
				],
				[
					'a JSON array',
					{ headers: json, body: '[{"deal":{}}]' },
					400,
					'The delivery must be a JSON object with an "event" and a "deal" or "account"',
				],
				[
					'no deal or account',
					{ headers: json, body: '{"event":{"type":"deal-signed"}}' },
					400,
					'The delivery has neither a "deal" nor an "account" object',
				],
				[
					'a deal that is a string',
					{ headers: json, body: '{"deal":"d-1"}' },
					400,
					'"deal" must be an object',
				],
				[
					'an event that is a number',
					{ headers: json, body: '{"event":7,"deal":{}}' },
					400,
					'"event" must be an object, or an event type such as "deal-signed"',
				],
				[
					'an empty POST',
					{ headers: json, body: '' },
					400,
					'The request body is empty: RevOps sends the event as a JSON body',
				],
				[
					'an empty GET',
					{ method: 'GET' },
					400,
					'The GET request carries no event: send the JSON envelope as the body or in a "payload" query parameter',
				],
			];
			for (const [label, request, status, message] of cases) {
				const answer = await rawRequest(workflow.url, request);
				expect({ label, status: answer.status, body: JSON.parse(answer.body) }).toEqual({
					label,
					status,
					body: { code: status, message },
				});
			}
			// n8n itself refuses malformed JSON declared as JSON, before the node runs.
			const malformed = await rawRequest(workflow.url, { headers: json, body: '{"event": {' });
			expect(malformed.status).toBe(422);

			// Fields the trigger only summarises never refuse a delivery: emitted, with warnings.
			const lenient = await rawRequest(workflow.url, {
				headers: json,
				body: '{"event":{"type":7},"deal":{"status":"signed","net_price":"lots"}}',
			});
			expect([lenient.status, lenient.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
			// A valid delivery afterwards proves n8n is up; these two are the only executions.
			const valid = await rawRequest(workflow.url, {
				headers: json,
				body: fixtureBytes('deal-signed'),
			});
			expect([valid.status, valid.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
			const items = await triggerItems(workflow, 2, 'quiet');
			expect(items[0]).toMatchObject({
				eventType: 'deal-signed',
				eventTypeInferred: true,
				netPrice: null,
				warnings: [
					'event.type: expected an event type such as "deal-signed", got a number; inferred from the status',
					'deal.net_price: expected a decimal amount such as "44400.00", got text in another format',
				],
			});
			expect(items[1]).toEqual(expectedItem('deal-signed', false));
		});

		atDefaultVersion(
			"connects a signed deal to billing through n8n's HTTP Request node",
			async () => {
				billing.reset();
				const workflow = await publish(
					'Signed deal to billing',
					revOpsTrigger({ credential, events: ['deal-signed'] }),
					postToBilling(billing.url),
				);
				const answer = await signedPost(workflow.url, 'deal-signed-jpy-body-wrapped.json');
				expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
				await triggerItems(workflow, 1);
				const calls = billing.received.map(({ method, path, headers, body }) => ({
					method,
					path,
					idempotencyKey: headers['idempotency-key'],
					body,
				}));
				expect(calls).toEqual([
					{
						method: 'POST',
						path: '/customers',
						idempotencyKey: 'deal-signed:id:7184d3fa-cd47-4327-9cac-2f12984bf25f',
						body: {
							dedupeKey: 'deal-signed:id:7184d3fa-cd47-4327-9cac-2f12984bf25f',
							customer: 'Sakura Logistics K.K.',
							accountId: 'cust_20917',
							amountMinor: 4860000,
							amount: '4860000',
							currency: 'JPY',
							features: ['sso_saml'],
							paymentTerms: 'Net 45',
						},
					},
				]);
			},
		);

		atDefaultVersion(
			'bills a delivery RevOps sends twice only once, through Remove Duplicates on dedupeKey',
			async () => {
				billing.reset();
				const workflow = await publish(
					'Deduplicated billing',
					revOpsTrigger({ credential }),
					removeRepeatedDeliveries(),
					postToBilling(billing.url),
				);
				const first = await signedPost(workflow.url, 'deal-signed.json');
				await triggerItems(workflow, 1);
				const retry = await signedPost(workflow.url, 'deal-signed.json');
				const other = await signedPost(workflow.url, 'deal-active.json');
				expect([first.status, retry.status, other.status]).toEqual([200, 200, 200]);
				await triggerItems(workflow, 3);
				expect(billing.received.map((request) => request.body.dedupeKey)).toEqual([
					'deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
					'deal-active:id:abfec730-2e5b-428c-92bf-ff95563973b4',
				]);
			},
		);

		atDefaultVersion(
			'acknowledges only a workflow that succeeded, so RevOps delivers a failed event again',
			async () => {
				billing.reset();
				const workflow = await publish(
					'Acknowledge when billed',
					revOpsTrigger({
						credential,
						events: ['deal-signed'],
						acknowledge: 'whenWorkflowSucceeds',
					}),
					postToBilling(billing.url),
					acknowledgeToRevOps(),
				);
				billing.failNextCalls(1);
				const report = await deliver(fixtureBytes('deal-signed.json'), {
					url: workflow.url,
					key: TEST_KEY,
					retries: 3,
					retryIntervalMs: 200,
				});
				expect(report.attempts.map((attempt) => [attempt.status, attempt.delivered])).toEqual([
					[500, false],
					[200, true],
				]);
				expect(JSON.parse(report.attempts[1].body)).toEqual({ message: ACKNOWLEDGEMENT_TEXT });
				// The call billing refused, then the one it charged.
				expect(billing.received.map((request) => request.body.dedupeKey)).toEqual([
					'deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
					'deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
				]);
				expect([...billing.charged]).toEqual([
					'deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
				]);
				const executions = await n8n.executions(workflow.id, { expected: 2, timeoutMs: 60_000 });
				expect(executions.map((execution) => execution.status).sort()).toEqual([
					'error',
					'success',
				]);

				// A filtered event is still acknowledged at once, with no execution.
				const filtered = await signedPost(workflow.url, 'account-created.json');
				expect([filtered.status, filtered.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
			},
		);

		atDefaultVersion(
			'with When Workflow Succeeds, acknowledges a run that skips billing when every branch ends in the acknowledgement',
			async () => {
				billing.reset();
				const publishBranching = async (name: string, falseBranchAcknowledges: boolean) => {
					const trigger = revOpsTrigger({
						credential,
						events: ['deal-created', 'deal-signed'],
						acknowledge: 'whenWorkflowSucceeds',
					});
					const hasPrice = ifTrue('Has a Price', '={{ $json.netPrice !== null }}');
					const bill = postToBilling(billing.url);
					const acknowledge = acknowledgeToRevOps();
					const link = (node: N8nNode) => ({ node: node.name, type: 'main' as const, index: 0 });
					const nodes = [trigger, hasPrice, bill, acknowledge];
					nodes.forEach((node, index) => (node.position = [index * 250, 0]));
					const id = await n8n.createWorkflow({
						name,
						nodes,
						connections: {
							[trigger.name]: { main: [[link(hasPrice)]] },
							[hasPrice.name]: {
								main: [[link(bill)], falseBranchAcknowledges ? [link(acknowledge)] : []],
							},
							[bill.name]: { main: [[link(acknowledge)]] },
						},
						settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
					});
					await n8n.activate(id);
					return n8n.webhookUrl(trigger.webhookId as string);
				};
				const everyBranch = await publishBranching('Every branch acknowledges', true);
				const deadEnd = await publishBranching('False branch leads nowhere', false);

				const unpriced = await signedPost(everyBranch, 'deal-created-unset-fields.json');
				const priced = await signedPost(everyBranch, 'deal-signed.json');
				expect([unpriced.status, JSON.parse(unpriced.body)]).toEqual([
					200,
					{ message: ACKNOWLEDGEMENT_TEXT },
				]);
				expect([priced.status, JSON.parse(priced.body)]).toEqual([
					200,
					{ message: ACKNOWLEDGEMENT_TEXT },
				]);
				expect(billing.received.map((request) => request.body.dedupeKey)).toEqual([
					'deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
				]);

				const nowhere = await signedPost(deadEnd, 'deal-created-unset-fields.json');
				expect(nowhere.status).toBe(500);
				expect(nowhere.body).toContain('No item to return');
			},
		);

		atDefaultVersion(
			'logs refused deliveries with reason, sender and event type, a few per trigger and minute, never body or key',
			async () => {
				const workflow = await publish(
					'Refusals are logged',
					revOpsTrigger({ credential }),
					noOp(),
				);
				const wrongKey = await sendOnce(fixtureBytes('deal-signed.json'), {
					url: workflow.url,
					key: 'not-the-key',
				});
				expect(wrongKey.status).toBe(401);
				for (let index = 0; index < 2 * REJECTION_LOG_BURST; index++) {
					const unsigned = await rawRequest(workflow.url, {
						headers: { 'content-type': 'application/json' },
						body: fixtureBytes('account-created.json'),
					});
					expect(unsigned.status).toBe(401);
				}
				const refusals = () =>
					n8n
						.logTail(100_000)
						.split('\n')
						.filter((line) => line.includes(`(workflow ${workflow.id}) refused a delivery`));
				const deadline = Date.now() + 10_000;
				while (refusals().length < REJECTION_LOG_BURST && Date.now() < deadline) await sleep(100);
				const lines = refusals();
				expect(lines).toHaveLength(REJECTION_LOG_BURST);
				expect(lines[0]).toContain(
					`from ${target.clientAddress} (claims event deal-signed) with 401: ${SIGNATURE_ERROR.message}`,
				);
				expect(lines[1]).toContain('(claims event account-created) with 401');
				expect(lines.at(-1)).toContain('counted, not logged');
				const logged = lines.join('\n');
				for (const secret of [
					TEST_KEY,
					'not-the-key',
					'6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
					'Priya Raman',
				])
					expect(logged).not.toContain(secret);
			},
		);

		atDefaultVersion(
			'leaves no trace of the Verification Key in answers, items or the log',
			async () => {
				expect(n8n.logTail(100_000)).not.toContain(TEST_KEY);
				const workflow = await publish(
					`Key check ${randomUUID().slice(0, 8)}`,
					revOpsTrigger({ credential }),
					noOp(),
				);
				await signedPost(workflow.url, 'account-updated.json');
				const executions = await n8n.executions(workflow.id, { expected: 1, timeoutMs: 60_000 });
				expect(JSON.stringify(executions)).not.toContain(TEST_KEY);
				expect(n8n.logTail(100_000)).not.toContain(TEST_KEY);
			},
		);
	});
}
