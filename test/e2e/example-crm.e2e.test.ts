/**
 * examples/revops-crm-hubspot.json in real n8n 2.41.1 and 1.123.81, calling api.hubapi.com through the
 * intercepting proxy, where a stub refuses what HubSpot refuses. Each case asserts the
 * companies HubSpot would have stored and what RevOps was answered.
 */
import { randomUUID } from 'node:crypto';

import type { N8nVersion } from '../../tools/n8n/install';
import { EXPECTED_ITEMS } from '../support/expected-items';
import { fixtureBytes, jsonBytes } from '../support/fixtures';
import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import {
	HUBSPOT_TOKEN,
	HubSpotStub,
	multiStatus,
	rateLimited,
	serverError,
} from '../support/services/hubspot';
import { SlackStub } from '../support/services/slack';
import {
	ALERT_CHANNEL,
	EXAMPLE_VERSIONS,
	n8nApiCredential,
	useExample,
	alertsAfterThreeFailedRuns,
	type Delivery,
	expectAcknowledged,
	expectRetried,
	expectOneAlert,
} from './example-harness';

jest.setTimeout(300_000);

const SLACK_TOKEN = 'xoxb-revops-example';

function suite(version: N8nVersion): void {
	const hubspot = new HubSpotStub();
	const slack = new SlackStub(SLACK_TOKEN, [ALERT_CHANNEL]);
	const example = useExample(
		'revops-crm-hubspot.json',
		[hubspot, slack],
		{
			hubspotAppToken: { appToken: HUBSPOT_TOKEN },
			slackApi: { accessToken: SLACK_TOKEN, signatureSecret: '', notice: '' },
			n8nApi: n8nApiCredential,
		},
		version,
		{ withErrorWorkflow: true },
	);

	type Action = 'write' | 'skip';
	type Account = Record<string, unknown>;

	/** Seconds since the epoch of a day in May 2024, plus `offset` seconds. */
	const at = (offset: number) => 1_715_000_000 + offset;
	const isoAt = (seconds: number) => new Date(seconds * 1000).toISOString();
	const STATUS: Record<string, string> = {
		'account-created': 'pending',
		'account-updated': 'active',
		'account-deleted': 'deleted',
	};

	const newAccountId = () => `cust_${randomUUID().slice(0, 8)}`;

	/**
	 * A RevOps account event as RevOps sends it: `event.time` as digits, no `event.id` unless
	 * given, `event.type` left out when `type` is undefined.
	 */
	function accountEvent(
		accountId: string,
		type: string | undefined,
		time: number,
		account: Account = {},
		eventId?: string,
	): Buffer {
		return jsonBytes({
			event: { ...(eventId === undefined ? {} : { id: eventId }), time: String(time), type },
			account: {
				account_id: accountId,
				blocked: false,
				email: 'billing@acme.example',
				name: 'Acme Corp',
				parent_account_id: null,
				status: STATUS[type ?? 'account-updated'],
				...account,
			},
		});
	}

	/** The properties of the one company HubSpot holds for the account. */
	function companyOf(accountId: string): Record<string, string> {
		const companies = hubspot.companiesOf(accountId);
		expect(companies).toHaveLength(1);
		return companies[0]!.properties;
	}

	/** The run succeeded, RevOps was answered "received", and the workflow took `action` on its first read. */
	async function expectApplied(body: Buffer, action: Action): Promise<Delivery> {
		const delivery = await example.deliver(body);
		expectAcknowledged(delivery);
		expect(delivery.execution.itemsByNode.Decide?.[0]?.action).toBe(action);
		return delivery;
	}

	/** The run failed with `reason`, RevOps was answered with an error (it delivers again) and HubSpot stored nothing new. */
	async function expectFailed(body: Buffer, reason: RegExp): Promise<void> {
		const before = JSON.stringify(hubspot.companies);
		expectRetried(await example.deliver(body), reason);
		expect(JSON.stringify(hubspot.companies)).toBe(before);
	}

	/** What the company holds after the account event `key` at `seconds`, deleted or not. */
	function stored(accountId: string, seconds: number, key: string, deleted: boolean) {
		return {
			revops_account_id: accountId,
			revops_last_event_time: isoAt(seconds),
			revops_last_event: key,
			...(deleted
				? { revops_status: 'deleted', revops_deleted_on: isoAt(seconds).slice(0, 10) }
				: {}),
		};
	}

	/** What a company not deleted holds after the event `delivery` at `seconds`. */
	function live(
		accountId: string,
		seconds: number,
		delivery: Delivery,
		values: [string, string, string],
	) {
		const [name, email, status] = values;
		return {
			...stored(accountId, seconds, keyOf(delivery), false),
			name,
			revops_billing_email: email,
			revops_status: status,
		};
	}

	/** How many requests to `path` named the account in their body. */
	const callsFor = (accountId: string, path: string) =>
		hubspot.received.filter(
			(request) => request.path === path && request.rawBody.includes(accountId),
		).length;

	const keyOf = (delivery: Delivery) =>
		delivery.execution.itemsByNode['RevOps Trigger']?.[0]?.dedupeKey as string;

	describe(`the CRM example (HubSpot) in n8n ${version}`, () => {
		afterEach(() => expect(example.refusedHosts()).toEqual([]));

		it("applies RevOps' account fixtures, created, updated and deleted, to one company, and skips a repeat", async () => {
			const deleted = EXPECTED_ITEMS['account-deleted']!;
			const accountId = deleted.accountId as string;
			await expectApplied(fixtureBytes('account-created'), 'write');
			expect(companyOf(accountId)).toMatchObject({
				name: 'Northwind Analytics',
				revops_status: 'pending',
			});
			await expectApplied(fixtureBytes('account-updated'), 'write');
			expect(companyOf(accountId).revops_status).toBe('active');
			await expectApplied(fixtureBytes('account-deleted'), 'write');
			const expected = {
				revops_account_id: accountId,
				name: 'Northwind Analytics',
				revops_billing_email: 'ap@northwind.example',
				revops_status: 'deleted',
				revops_last_event_time: deleted.eventTime,
				revops_last_event: deleted.dedupeKey,
				revops_deleted_on: '2024-11-02',
			};
			expect(companyOf(accountId)).toEqual(expected);

			// RevOps delivers the deletion again (our answer was lost), then the old created again.
			await expectApplied(fixtureBytes('account-deleted'), 'skip');
			await expectApplied(fixtureBytes('account-created'), 'skip');
			expect(companyOf(accountId)).toEqual(expected);

			// Found by revops_account_id, written by batch upsert and read back (CRM v3 only).
			const calls = hubspot.received.map((request) => `${request.method} ${request.path}`);
			expect(calls.slice(0, 4)).toEqual([
				'POST /crm/v3/objects/companies/batch/read',
				'POST /crm/v3/objects/companies/batch/upsert',
				'POST /crm/v3/objects/companies/batch/read',
				'POST /crm/v3/objects/companies/batch/read',
			]);
		});

		it('answers every RevOps deal event with its acknowledgement, starts no run and stores nothing', async () => {
			const requests = hubspot.received.length;
			const ignored = await example.expectFixturesIgnoredExcept([
				'account-created',
				'account-updated',
				'account-deleted',
			]);
			expect(ignored).toBeGreaterThanOrEqual(7);
			expect(hubspot.received).toHaveLength(requests);
		});

		it('infers the event from the status when event.type is missing, in the bare and the body-wrapped shape', async () => {
			const accountId = newAccountId();
			const updated = await expectApplied(accountEvent(accountId, undefined, at(10)), 'write');
			expect(updated.execution.itemsByNode['RevOps Trigger']?.[0]).toMatchObject({
				eventType: 'account-updated',
				eventTypeInferred: true,
				eventId: null,
			});
			expect(companyOf(accountId)).toEqual(
				live(accountId, at(10), updated, ['Acme Corp', 'billing@acme.example', 'active']),
			);

			const wrapped = jsonBytes({
				body: JSON.parse(
					accountEvent(
						accountId,
						undefined,
						at(20),
						{ status: 'deleted' },
						randomUUID(),
					).toString(),
				),
			});
			const deleted = await expectApplied(wrapped, 'write');
			expect(deleted.execution.itemsByNode['RevOps Trigger']?.[0]).toMatchObject({
				eventType: 'account-deleted',
				eventTypeInferred: true,
			});
			expect(companyOf(accountId)).toMatchObject(stored(accountId, at(20), keyOf(deleted), true));
		});

		it('keeps a deletion that arrives before the account was created: created and updated arriving later are skipped', async () => {
			const accountId = newAccountId();
			const deleted = await expectApplied(
				accountEvent(accountId, 'account-deleted', at(300)),
				'write',
			);
			const tombstone = {
				...stored(accountId, at(300), keyOf(deleted), true),
				name: 'Acme Corp',
				revops_billing_email: 'billing@acme.example',
			};
			expect(companyOf(accountId)).toEqual(tombstone);
			await expectApplied(accountEvent(accountId, 'account-created', at(100)), 'skip');
			await expectApplied(accountEvent(accountId, 'account-updated', at(200)), 'skip');
			expect(companyOf(accountId)).toEqual(tombstone);
		});

		it('does not reopen a deleted account for a late updated, and keeps the newest of two updates', async () => {
			const closed = newAccountId();
			await expectApplied(accountEvent(closed, 'account-created', at(100)), 'write');
			const deleted = await expectApplied(
				accountEvent(closed, 'account-deleted', at(300)),
				'write',
			);
			await expectApplied(
				accountEvent(closed, 'account-updated', at(200), { name: 'Acme Late' }),
				'skip',
			);
			expect(companyOf(closed)).toMatchObject({
				...stored(closed, at(300), keyOf(deleted), true),
				name: 'Acme Corp',
			});

			const renamed = newAccountId();
			await expectApplied(accountEvent(renamed, 'account-created', at(100)), 'write');
			const newest = await expectApplied(
				accountEvent(renamed, 'account-updated', at(300), {
					name: 'Acme New',
					email: 'new@acme.example',
				}),
				'write',
			);
			await expectApplied(
				accountEvent(renamed, 'account-updated', at(200), {
					name: 'Acme Old',
					email: 'old@acme.example',
				}),
				'skip',
			);
			// In one second, an updated outranks a created that arrives after it.
			await expectApplied(accountEvent(renamed, 'account-created', at(300)), 'skip');
			expect(companyOf(renamed)).toEqual(
				live(renamed, at(300), newest, ['Acme New', 'new@acme.example', 'active']),
			);
		});

		it('never writes a missing name, email or status: a new company gets what RevOps sent, an existing one keeps its values', async () => {
			const accountId = newAccountId();
			const created = await expectApplied(
				accountEvent(accountId, 'account-created', at(100), { name: '', email: null }),
				'write',
			);
			expect(companyOf(accountId)).toEqual({
				...stored(accountId, at(100), keyOf(created), false),
				revops_status: 'pending',
			});
			await expectApplied(accountEvent(accountId, 'account-updated', at(200)), 'write');
			const blank = await expectApplied(
				accountEvent(accountId, 'account-updated', at(300), {
					name: null,
					email: '',
					status: '',
				}),
				'write',
			);
			expect(companyOf(accountId)).toEqual(
				live(accountId, at(300), blank, ['Acme Corp', 'billing@acme.example', 'active']),
			);
		});

		it('stops with a clear error, storing nothing, for an event without account_id or event time', async () => {
			await expectFailed(
				accountEvent('', 'account-updated', at(100)),
				/has no account_id, so it cannot be matched/,
			);
			const untimed = jsonBytes({
				event: { type: 'account-updated' },
				account: { account_id: newAccountId(), name: 'Acme Corp', status: 'active' },
			});
			await expectFailed(untimed, /has no event.time, so it cannot be ordered/);
		});

		it("rides out a 500, a 429 and slow answers, completing on RevOps' retry of the same bytes with one company", async () => {
			const accountId = newAccountId();
			const body = accountEvent(accountId, 'account-created', at(100), {}, randomUUID());
			// Find Company fails on all three tries of the run: RevOps gets an error.
			hubspot.failNext(serverError(), serverError(), serverError());
			await expectFailed(body, /not able to process your request \(internal error\)/);
			expect(callsFor(accountId, '/crm/v3/objects/companies/batch/read')).toBe(3);

			// RevOps' retry an hour later: a 429, then an answer slower than the node's 10 s timeout.
			hubspot.failNext(rateLimited(), { delayMs: 12_000 });
			const created = await expectApplied(body, 'write');
			// Three tries, then the read back after the write.
			expect(callsFor(accountId, '/crm/v3/objects/companies/batch/read')).toBe(7);
			expect(companyOf(accountId)).toMatchObject(stored(accountId, at(100), keyOf(created), false));

			// The upsert is stored but answered after the timeout: the node's retry upserts the same company.
			const other = newAccountId();
			hubspot.failNext({}, { delayMs: 12_000 });
			await expectApplied(accountEvent(other, 'account-created', at(100)), 'write');
			expect(companyOf(other).revops_status).toBe('pending');
			expect(callsFor(other, '/crm/v3/objects/companies/batch/upsert')).toBe(2);

			// Write Company meets a 429 and a 500 before its third try goes through.
			const upserts = callsFor(accountId, '/crm/v3/objects/companies/batch/upsert');
			hubspot.failNext({}, rateLimited(), serverError());
			const updated = await expectApplied(
				accountEvent(accountId, 'account-updated', at(200)),
				'write',
			);
			expect(companyOf(accountId)).toMatchObject({
				...stored(accountId, at(200), keyOf(updated), false),
				revops_status: 'active',
			});
			expect(callsFor(accountId, '/crm/v3/objects/companies/batch/upsert') - upserts).toBe(3);
		});

		it("fails the run when HubSpot answers the write 207 with errors, and applies the event on RevOps' retry", async () => {
			const accountId = newAccountId();
			const body = accountEvent(accountId, 'account-created', at(100), {}, randomUUID());
			// The read, then the upsert answered 207: a 2xx that stored nothing.
			hubspot.failNext({}, multiStatus('Property values were not valid'));
			expectRetried(
				await example.deliver(body),
				new RegExp(
					`HubSpot did not store RevOps account ${accountId}: Property values were not valid`,
				),
			);
			expect(hubspot.companiesOf(accountId)).toEqual([]);
			const created = await expectApplied(body, 'write');
			expect(companyOf(accountId)).toMatchObject(stored(accountId, at(100), keyOf(created), false));
		});

		it('keeps the newest of the events of one account sent at the same moment, round after round', async () => {
			for (let round = 0; round < 4; round += 1) {
				const accountId = newAccountId();
				// Three updates, or a creation, an update and a deletion that must not be reopened.
				const deletes = round % 2 === 1;
				const events = [
					accountEvent(accountId, 'account-created', at(100), { name: 'Acme Old' }),
					accountEvent(accountId, 'account-updated', at(200), {
						name: 'Acme Middle',
						email: 'middle@acme.example',
					}),
					deletes
						? accountEvent(accountId, 'account-deleted', at(300))
						: accountEvent(accountId, 'account-updated', at(300), {
								name: 'Acme New',
								email: 'new@acme.example',
							}),
				];
				if (round >= 2) events.reverse();
				const answers = await Promise.all(events.map((body) => example.send(body)));
				for (const answer of answers) {
					expect(answer.status).toBe(200);
					expect(answer.body).toContain(ACKNOWLEDGEMENT_TEXT);
				}
				expect(companyOf(accountId)).toMatchObject(
					deletes
						? { revops_status: 'deleted', revops_last_event_time: isoAt(at(300)) }
						: {
								name: 'Acme New',
								revops_billing_email: 'new@acme.example',
								revops_status: 'active',
								revops_last_event_time: isoAt(at(300)),
							},
				);
			}
		});

		it('gives up after four writes when every read back shows an older event, failing the run for RevOps to deliver again', async () => {
			const accountId = newAccountId();
			const body = accountEvent(accountId, 'account-updated', at(200), {}, randomUUID());
			// Another writer puts an older event back after each of ours, every time.
			const olderStored = {
				status: 200,
				body: {
					status: 'COMPLETE',
					results: [
						{
							id: '9000000999',
							properties: {
								revops_account_id: accountId,
								revops_last_event_time: isoAt(at(100)),
								revops_last_event: 'account-created:older',
							},
						},
					],
				},
			};
			// `{}`: the stub's usual answer (the first read, then each write); then the older event read back.
			const usual = {};
			hubspot.failNext(usual, ...Array.from({ length: 4 }, () => [usual, olderStored]).flat());
			const upserts = callsFor(accountId, '/crm/v3/objects/companies/batch/upsert');
			expectRetried(
				await example.deliver(body),
				/HubSpot still held an older event after 4 writes; RevOps will deliver this event again/,
			);
			expect(callsFor(accountId, '/crm/v3/objects/companies/batch/upsert') - upserts).toBe(4);
		});

		it('alerts Slack once, naming the account and the reason, when its run fails again and again', async () => {
			const accountId = newAccountId();
			const body = accountEvent(accountId, 'account-updated', at(100), {}, randomUUID());
			// Each run fails on all three tries of Find Company.
			const alerts = await alertsAfterThreeFailedRuns(
				example,
				slack,
				body,
				() => hubspot.failNext(serverError(), serverError(), serverError()),
				`account ${accountId} failed in `,
			);
			expectOneAlert(alerts, example, `account-updated for account ${accountId}`);
			expect(hubspot.companiesOf(accountId)).toEqual([]);
		});
	});
}

for (const version of EXAMPLE_VERSIONS) suite(version);
