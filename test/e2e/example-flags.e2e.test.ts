/**
 * examples/revops-feature-flags.json in real n8n 2.41.1 and 1.123.81, calling product.example.com through
 * the intercepting proxy. Each case asserts which features the product ends up with and what
 * RevOps was answered.
 */
import { randomUUID } from 'node:crypto';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import { fixtureBytes, fixtureJson, jsonBytes } from '../support/fixtures';
import { PRODUCT_API_TOKEN, ProductStub } from '../support/services/product';
import type { N8nVersion } from '../../tools/n8n/install';
import { SlackStub } from '../support/services/slack';
import {
	ALERT_CHANNEL,
	alertsAfterThreeFailedRuns,
	EXAMPLE_VERSIONS,
	n8nApiCredential,
	useExample,
	expectAcknowledged,
	expectRetried,
	expectOneAlert,
} from './example-harness';

jest.setTimeout(300_000);

const SLACK_TOKEN = 'xoxb-revops-example';

function suite(version: N8nVersion): void {
	describe(`the feature-flags example in n8n ${version}`, () => {
		const product = new ProductStub();
		const slack = new SlackStub(SLACK_TOKEN, [ALERT_CHANNEL]);
		const example = useExample(
			'revops-feature-flags.json',
			[product, slack],
			{
				httpHeaderAuth: { name: 'Authorization', value: `Bearer ${PRODUCT_API_TOKEN}` },
				slackApi: { accessToken: SLACK_TOKEN, signatureSecret: '', notice: '' },
				n8nApi: n8nApiCredential,
			},
			version,
			{
				withErrorWorkflow: true,
				settings: { productApiUrl: 'https://product.example.com/api/v1' },
			},
		);

		type Flag = { name: string; enabled?: boolean };
		type Envelope = { event: Record<string, unknown>; deal: Record<string, unknown> };

		/** The activated-deal fixture as a new event of a new account, at `time` (Unix seconds). */
		function activatedDeal(
			flags: Flag[],
			time = Math.floor(Date.now() / 1000),
			accountId = `cust_${randomUUID().slice(0, 8)}`,
		): { body: Buffer; accountId: string } {
			const envelope = structuredClone(fixtureJson('deal-active')) as Envelope;
			Object.assign(envelope.event, { id: randomUUID(), time });
			Object.assign(envelope.deal, {
				id: randomUUID(),
				account_id: accountId,
				feature_flags: flags,
			});
			return { body: jsonBytes(envelope), accountId };
		}

		async function expectApplied(body: Buffer): Promise<void> {
			expectAcknowledged(await example.deliver(body));
		}

		async function expectStopped(body: Buffer, reason: RegExp): Promise<void> {
			expectRetried(await example.deliver(body), reason);
		}

		afterEach(() => expect(example.refusedHosts()).toEqual([]));

		it("switches on what the activated deal enables, leaving the account's other features", async () => {
			product.addAccount('cust_10482', ['api_access', 'sandbox_workspaces']);
			await expectApplied(fixtureBytes('deal-active'));
			// The fixture enables sso_saml and audit_log_export and lists sandbox_workspaces as disabled.
			expect(product.features('cust_10482')).toEqual([
				'api_access',
				'audit_log_export',
				'sandbox_workspaces',
				'sso_saml',
			]);
		});

		it('stops every active deal while Settings hold the placeholder URL, calling nothing, and switches its features on once it is filled in', async () => {
			const { body, accountId } = activatedDeal([{ name: 'sso_saml', enabled: true }]);
			product.addAccount(accountId);
			const requests = product.received.length;
			await example.republish({
				productApiUrl: "REPLACE with your product's admin API, https://.../api/v1",
			});
			await expectStopped(
				body,
				/Settings: productApiUrl is "REPLACE with your product's admin API/,
			);
			expect(product.received).toHaveLength(requests);
			await example.republish({});
			await expectApplied(body);
			expect(product.features(accountId)).toEqual(['sso_saml']);
		});

		it('answers every other RevOps event with its acknowledgement and starts no run', async () => {
			expect(
				await example.expectFixturesIgnoredExcept(['deal-active', 'deal-updated']),
			).toBeGreaterThanOrEqual(8);
		});

		it('reads RevOps\' loosest flag shapes: unset (""), "true" as text, a list keyed by index', async () => {
			const { body, accountId } = activatedDeal([]);
			product.addAccount(accountId, ['api_access']);
			await expectApplied(body);
			expect(product.features(accountId)).toEqual(['api_access']);
			const shapes: unknown[] = [
				'',
				[
					{ name: 'sso_saml', enabled: 'true' },
					{ name: 'audit_log_export', enabled: 'false' },
				],
				{ 1: { name: 'sandbox_workspaces', enabled: true }, 0: { name: 'api_access' } },
			];
			for (const flags of shapes)
				await expectApplied(activatedDeal(flags as Flag[], undefined, accountId).body);
			expect(product.features(accountId)).toEqual(['api_access', 'sandbox_workspaces', 'sso_saml']);
		});

		it("never switches off what another deal of the account sold, and applies a late retry of an older deal's event", async () => {
			const now = Math.floor(Date.now() / 1000);
			const first = activatedDeal([{ name: 'sso_saml', enabled: true }], now - 3600);
			const second = activatedDeal(
				[
					{ name: 'sso_saml', enabled: false },
					{ name: 'audit_log_export', enabled: true },
				],
				now,
				first.accountId,
			);
			product.addAccount(first.accountId);
			// The second deal's event arrives first; the first deal's (older) event is RevOps' late retry.
			await expectApplied(second.body);
			await expectApplied(first.body);
			expect(product.features(first.accountId)).toEqual(['audit_log_export', 'sso_saml']);
		});

		it('ends with every feature the deals sold when their events arrive at the same moment, round after round', async () => {
			const { accountId } = activatedDeal([]);
			product.addAccount(accountId);
			const sold: string[] = [];
			for (let round = 0; round < 3; round += 1) {
				const features = [`feature_${round}_a`, `feature_${round}_b`];
				sold.push(...features);
				const answers = await Promise.all(
					features.map(
						async (name) =>
							await example.send(
								activatedDeal([{ name, enabled: true }], undefined, accountId).body,
							),
					),
				);
				// When Workflow Succeeds: each 200 comes after its run switched the feature on.
				for (const answer of answers) {
					expect(answer.status).toBe(200);
					expect(answer.body).toContain(ACKNOWLEDGEMENT_TEXT);
				}
				expect(product.features(accountId)).toEqual([...sold].sort());
			}
		});

		it("acts on the deal's status: an update of an active deal switches its features on, an update before activation changes nothing", async () => {
			const { accountId } = activatedDeal([]);
			product.addAccount(accountId);
			const updated = (status: string) => {
				const envelope = structuredClone(fixtureJson('deal-updated')) as Envelope;
				Object.assign(envelope.event, { id: randomUUID(), time: Math.floor(Date.now() / 1000) });
				Object.assign(envelope.deal, {
					id: randomUUID(),
					account_id: accountId,
					status,
					feature_flags: [{ name: 'sso_saml', enabled: true }],
				});
				return jsonBytes(envelope);
			};
			const calls = product.received.length;
			await expectApplied(updated('negotiation'));
			expect([product.received.length, product.features(accountId)]).toEqual([calls, []]);
			// The deal was fixed in RevOps after activation: RevOps sends deal-updated, status active.
			await expectApplied(updated('active'));
			expect(product.features(accountId)).toEqual(['sso_saml']);
		});

		it("stops with a clear error for a deal without an account, and for an account the product does not have yet, which RevOps' retry then completes", async () => {
			// RevOps' own example body: every value not set yet is "".
			const unset = structuredClone(fixtureJson('deal-created-unset-fields')) as Envelope;
			Object.assign(unset.event, { type: 'deal-active' });
			Object.assign(unset.deal, { status: 'active' });
			await expectStopped(jsonBytes(unset), /has no account_id/);

			const { body, accountId } = activatedDeal([{ name: 'sso_saml', enabled: true }]);
			await expectStopped(body, /could not be found \(no account cust_/);
			product.addAccount(accountId);
			await expectApplied(body);
			expect(product.features(accountId)).toEqual(['sso_saml']);
		});

		it("rides out a 500 and a 429 within one run, and an answer slower than the timeout on every try through RevOps' retry", async () => {
			const { body, accountId } = activatedDeal([{ name: 'audit_log_export', enabled: true }]);
			product.addAccount(accountId);
			product.failNext(
				{ status: 500, body: { error: 'internal' } },
				{ status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } },
			);
			await expectApplied(body);
			expect(product.features(accountId)).toEqual(['audit_log_export']);

			const late = activatedDeal([{ name: 'api_access', enabled: true }], undefined, accountId);
			const slow = { status: 503, delayMs: 11_000, body: { error: 'timeout' } };
			product.failNext(slow, slow, slow);
			await expectStopped(late.body, /timeout|ECONNABORTED|aborted/i);
			expect(product.features(accountId)).toEqual(['audit_log_export']);
			await expectApplied(late.body);
			expect(product.features(accountId)).toEqual(['api_access', 'audit_log_export']);
		});

		it('alerts Slack once, naming the deal and the reason, when its run fails again and again', async () => {
			const { body, accountId } = activatedDeal([{ name: 'sso_saml', enabled: true }]);
			product.addAccount(accountId);
			const down = { status: 503, body: { error: 'maintenance' } };
			// Each run fails on all three tries of Set Features.
			const alerts = await alertsAfterThreeFailedRuns(
				example,
				slack,
				body,
				() => product.failNext(down, down, down),
				`(account ${accountId}) failed in `,
			);
			expectOneAlert(alerts, example, `deal-active for deal [0-9a-f-]+ \\(account ${accountId}\\)`);
			expect(product.features(accountId)).toEqual([]);
		});
	});
}

for (const version of EXAMPLE_VERSIONS) suite(version);
