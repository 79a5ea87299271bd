/**
 * examples/revops-sla-notice.json in real n8n 2.41.1 and 1.123.81, calling slack.com and app.asana.com
 * through the intercepting proxy, where stubs refuse what Slack and Asana refuse. Each case
 * asserts what Slack and Asana would have stored and what RevOps was answered.
 */
import { randomUUID } from 'node:crypto';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';

import type { N8nVersion } from '../../tools/n8n/install';
import { fixtureBytes, fixtureJson, jsonBytes } from '../support/fixtures';
import { ASANA_RATE_LIMITED, AsanaStub, type AsanaTask } from '../support/services/asana';
import {
	SLACK_INTERNAL_ERROR_AFTER_POSTING,
	SLACK_RATE_LIMITED,
	SlackStub,
	type SlackMessage,
} from '../support/services/slack';
import type { StubAnswer } from '../support/services/service';
import {
	deliverReReport,
	EXAMPLE_VERSIONS,
	expectAcknowledged,
	expectRetried,
	useExample,
} from './example-harness';

jest.setTimeout(300_000);

// The user's own workspace, project and channel, as they fill them into the example's Settings.
const WORKSPACE = '1209000000000100';
const PROJECT = '1209000000000200';
const CHANNEL = 'C0SLANOTICE';
const SETTINGS = {
	asanaWorkspaceGid: WORKSPACE,
	asanaProjectGid: PROJECT,
	slackChannelId: CHANNEL,
};
const SLACK_TOKEN = 'xoxb-revops-example';
const ASANA_TOKEN = '2/1209000000000000/1209000000000001:revopsexample';

function suite(version: N8nVersion): void {
	const slack = new SlackStub(SLACK_TOKEN, [CHANNEL]);
	const asana = new AsanaStub(ASANA_TOKEN, { [PROJECT]: WORKSPACE });
	const example = useExample(
		'revops-sla-notice.json',
		[slack, asana],
		{
			slackApi: { accessToken: SLACK_TOKEN, signatureSecret: '', notice: '' },
			asanaApi: { accessToken: ASANA_TOKEN },
		},
		version,
		{ settings: SETTINGS },
	);

	type Deal = Record<string, unknown> & { id: string };
	type Envelope = { event: Record<string, unknown>; deal: Deal };

	/** A fresh signed deal (its own deal and event ids) from the USD fixture, changed by `change`. */
	function signedDeal(change: (deal: Deal) => void = () => {}): { body: Buffer; deal: Deal } {
		const envelope = structuredClone(fixtureJson('deal-signed')) as Envelope;
		envelope.event.id = randomUUID();
		envelope.deal.id = randomUUID();
		envelope.deal.signed_contract_url = `https://acme.revops.io/deals/${envelope.deal.id}/signed-contract.pdf`;
		change(envelope.deal);
		return { body: jsonBytes(envelope), deal: envelope.deal };
	}

	const tasksOf = (dealId: string): AsanaTask[] =>
		asana.tasks.filter((task) => task.notes.split('\n').includes(`RevOps deal: ${dealId}`));
	/** A deal's notices: the messages that link its task. */
	const messagesOf = (dealId: string): SlackMessage[] =>
		slack.messages.filter((message) =>
			tasksOf(dealId).some((task) => message.links.some((link) => link.url === task.permalink_url)),
		);

	/** Delivers `body`, expects it acknowledged, and returns the deal's one task and one notice. */
	async function announce(
		body: Buffer,
		dealId: string,
	): Promise<{ task: AsanaTask; message: SlackMessage }> {
		expectAcknowledged(await example.deliver(body));
		const [tasks, messages] = [tasksOf(dealId), messagesOf(dealId)];
		expect([tasks.length, messages.length]).toEqual([1, 1]);
		return { task: tasks[0]!, message: messages[0]! };
	}

	const notes = (...lines: string[]) => lines.join('\n');

	describe(`the SLA and notice example (Slack and Asana) in n8n ${version}`, () => {
		afterEach(() => expect(example.refusedHosts()).toEqual([]));

		it("posts one notice and creates one SLA task from RevOps' signed deal, due on its activation date", async () => {
			const deal = fixtureJson('deal-signed').deal as Deal;
			const contract = String(deal.signed_contract_url);
			const { task, message } = await announce(fixtureBytes('deal-signed'), deal.id);

			expect(task).toMatchObject({
				name: 'Onboard Northwind Analytics, Inc. before activation',
				due_on: '2024-06-01',
				workspace: WORKSPACE,
				projects: [PROJECT],
				notes: notes(
					'Signed for $44,400.00.',
					`Signed contract: ${contract}`,
					"Due on the contract's activation date, 2024-06-01T00:00:00Z.",
					`RevOps deal: ${deal.id}`,
					'RevOps event: deal-signed:id:6a2b102e-9d80-4863-b3e5-ba867a5ceafd',
					'Slack notice: posted',
				),
			});
			expect(message).toMatchObject({
				channel: CHANNEL,
				display:
					':tada: Northwind Analytics, Inc. signed a deal for $44,400.00. Signed contract Onboarding due 2024-06-01. SLA task',
				links: [
					{ url: contract, label: 'Signed contract' },
					{ url: task.permalink_url, label: 'SLA task' },
				],
				mentions: [],
			});
		});

		it('announces a deal once however often RevOps reports it: the same delivery again, and a later re-report without event.type', async () => {
			const { body, deal } = signedDeal();
			await announce(body, deal.id);
			// RevOps lost our answer and sends the same bytes again.
			await announce(body, deal.id);
			// Later, RevOps reports the signed deal again as a new event.
			const delivery = await deliverReReport(example, deal);
			expectAcknowledged(delivery);
			expect([tasksOf(deal.id).length, messagesOf(deal.id).length]).toEqual([1, 1]);
		});

		it('announces a deal once when RevOps reports its signing twice at the same moment, round after round', async () => {
			for (let round = 0; round < 5; round += 1) {
				const { body, deal } = signedDeal();
				// RevOps sends deal-signed and an update of the signed deal together; the update, in
				// RevOps' body-wrapped shape with no event.type, reads as a second signing.
				const update = jsonBytes({
					body: { event: { id: randomUUID(), time: Math.floor(Date.now() / 1000) }, deal },
				});
				const answers = await Promise.all([example.send(body), example.send(update)]);
				for (const answer of answers) {
					expect(answer.status).toBe(200);
					expect(answer.body).toContain(ACKNOWLEDGEMENT_TEXT);
				}
				expect([tasksOf(deal.id).length, messagesOf(deal.id).length]).toEqual([1, 1]);
			}
		});

		it("writes RevOps' body-wrapped JPY deal in yen, with no decimals", async () => {
			const deal = (fixtureJson('deal-signed-jpy-body-wrapped').body as Envelope).deal;
			const { task, message } = await announce(
				fixtureBytes('deal-signed-jpy-body-wrapped'),
				deal.id,
			);
			expect(message.display).toMatch(
				/^:tada: Sakura Logistics K\.K\. signed a deal for ¥4,860,000\. /,
			);
			expect([task.name, task.due_on]).toEqual([
				'Onboard Sakura Logistics K.K. before activation',
				'2024-08-01',
			]);
		});

		it('writes a three-decimal KWD amount with its three decimals and its code', async () => {
			const { body, deal } = signedDeal((deal) =>
				Object.assign(deal, {
					net_price: '1200.12',
					net_price_currency: 'KWD',
					net_price_precision: 2,
				}),
			);
			const { task, message } = await announce(body, deal.id);
			expect(message.display).toContain('signed a deal for KWD\u00a01,200.120.');
			expect(task.notes.split('\n')[0]).toBe('Signed for KWD\u00a01,200.120.');
		});

		it('shows a customer name with &, < and > as written, and never lets it mention the channel', async () => {
			const name = 'Smith & Sons <Holdings> <!channel>';
			const { body, deal } = signedDeal((deal) => (deal.customer = { legal_name: name }));
			const { task, message } = await announce(body, deal.id);
			expect(message.text).toContain('Smith &amp; Sons &lt;Holdings&gt; &lt;!channel&gt; signed');
			expect(message.display).toMatch(
				/^:tada: Smith & Sons <Holdings> <!channel> signed a deal for/,
			);
			expect(message.mentions).toEqual([]);
			expect(message.links.map((link) => link.label)).toEqual(['Signed contract', 'SLA task']);
			// Asana's name and notes are plain text: no escaping there.
			expect(task.name).toBe(`Onboard ${name} before activation`);
		});

		it('says so, rather than "null", when RevOps has no customer name', async () => {
			const { body, deal } = signedDeal((deal) => (deal.customer = { legal_name: null }));
			const { task, message } = await announce(body, deal.id);
			expect(message.display).toMatch(
				/^:tada: A customer with no name in RevOps yet signed a deal for \$44,400\.00\. /,
			);
			expect(task.name).toBe(
				`Onboard the customer of RevOps deal ${deal.id} (no name in RevOps yet)`,
			);
			expect(JSON.stringify([message, task])).not.toMatch(/null|undefined/);
		});

		it('makes the task due 14 days after signing, and says so, when RevOps has no activation date', async () => {
			for (const unset of ['', null]) {
				// Signed 2024-05-14T16:20:05Z (the fixture's event.time).
				const { body, deal } = signedDeal((deal) => (deal.contract_activates_date = unset));
				const { task, message } = await announce(body, deal.id);
				expect(task.due_on).toBe('2024-05-28');
				expect(task.notes).toContain(
					'RevOps has no activation date for this deal yet, so this task is due 14 days after the deal was signed',
				);
				expect(message.display).toContain(
					'Onboarding due 2024-05-28 (no activation date in RevOps yet).',
				);
			}
		});

		it('announces RevOps\' example body with every field unset (""), re-typed as a signed deal, saying what is missing', async () => {
			const unset = structuredClone(fixtureJson('deal-created-unset-fields')) as Envelope;
			unset.event.type = 'deal-signed';
			unset.deal.status = 'signed';
			const { task, message } = await announce(jsonBytes(unset), unset.deal.id);
			// event.time "1718022000" is 2024-06-10T12:20:00Z.
			expect(message.display).toBe(
				':tada: Fjord Freight AS signed a deal for an amount not set in RevOps yet. No signed contract link in RevOps yet. Onboarding due 2024-06-24 (no activation date in RevOps yet). SLA task',
			);
			expect(task).toMatchObject({
				name: 'Onboard Fjord Freight AS before activation',
				due_on: '2024-06-24',
			});
			expect(task.notes.split('\n').slice(0, 2)).toEqual([
				'Signed for an amount not set in RevOps yet.',
				'Signed contract: not in RevOps yet',
			]);
		});

		it('stops with a clear error, storing nothing, for an activation date that is not a date', async () => {
			const { body, deal } = signedDeal((deal) => (deal.contract_activates_date = 'next quarter'));
			const [tasks, messages] = [asana.tasks.length, slack.messages.length];
			expectRetried(
				await example.deliver(body),
				/contract_activates_date "next quarter" is not an ISO 8601 date/,
			);
			expect([asana.tasks.length, slack.messages.length, tasksOf(deal.id)]).toEqual([
				tasks,
				messages,
				[],
			]);
		});

		it('answers every RevOps event but a signed deal with its acknowledgement, starts no run and stores nothing', async () => {
			const requests = [asana.received.length, slack.received.length];
			const ignored = await example.expectFixturesIgnoredExcept([
				'deal-signed',
				'deal-signed-jpy-body-wrapped',
			]);
			expect(ignored).toBeGreaterThanOrEqual(8);
			expect([asana.received.length, slack.received.length]).toEqual(requests);
		});

		const serverError: StubAnswer = {
			status: 500,
			body: { errors: [{ message: 'Server Error' }] },
		};
		const ok: StubAnswer = {};

		it('stops every run while Settings hold a placeholder, storing nothing, and announces the deal once they are filled in', async () => {
			const { body, deal } = signedDeal();
			const requests = [asana.received.length, slack.received.length];
			await example.republish({ asanaProjectGid: 'REPLACE_WITH_PROJECT_GID' });
			expectRetried(
				await example.deliver(body),
				/Settings: asanaProjectGid is "REPLACE_WITH_PROJECT_GID"; set it to your Asana project's gid/,
			);
			await example.republish({ slackChannelId: 'C_REPLACE_WITH_YOUR_CHANNEL' });
			expectRetried(
				await example.deliver(body),
				/Settings: slackChannelId is "C_REPLACE_WITH_YOUR_CHANNEL"; set it to the Slack channel's ID/,
			);
			expect([asana.received.length, slack.received.length]).toEqual(requests);
			await example.republish({});
			await announce(body, deal.id);
		});

		it("completes on RevOps' retry when creating the task failed: no notice before the task, then one of each", async () => {
			const { body, deal } = signedDeal();
			const messages = slack.messages.length;
			// The search as usual, then the create fails on all three tries of the run.
			asana.failNext(ok, serverError, serverError, serverError);
			expectRetried(await example.deliver(body));
			expect([tasksOf(deal.id).length, slack.messages.length]).toEqual([0, messages]);
			await announce(body, deal.id);
		});

		it("does not post twice when the notice went out but marking the task failed: RevOps' retry finds it in the channel", async () => {
			const { body, deal } = signedDeal();
			// Find, create and find again as usual, the notice is posted, then marking the task
			// fails on all three tries.
			asana.failNext(ok, ok, ok, serverError, serverError, serverError);
			expectRetried(await example.deliver(body));
			expect([tasksOf(deal.id).length, messagesOf(deal.id).length]).toEqual([1, 1]);
			const { task } = await announce(body, deal.id);
			expect(task.notes).toContain('Slack notice: posted');
		});

		it('rides out a 429 from Slack and from Asana within the run', async () => {
			const { body, deal } = signedDeal();
			const [asanaCalls, slackCalls] = [asana.received.length, slack.received.length];
			asana.failNext(ASANA_RATE_LIMITED);
			slack.failNext(SLACK_RATE_LIMITED);
			await announce(body, deal.id);
			// Find, create, find again and mark in Asana, plus the try that was refused; in Slack the
			// refused post, the look at the channel after it, and the post.
			expect([asana.received.length - asanaCalls, slack.received.length - slackCalls]).toEqual([
				5, 3,
			]);
		});

		it('posts once when Slack posts the notice but answers internal_error: the run looks in the channel before posting again', async () => {
			const { body, deal } = signedDeal();
			slack.failNext(SLACK_INTERNAL_ERROR_AFTER_POSTING);
			const { task } = await announce(body, deal.id);
			expect(messagesOf(deal.id)).toHaveLength(1);
			expect(task.notes).toContain('Slack notice: posted');
		});

		it("fails the run when Slack refuses four posts, each followed by a look at the channel, and RevOps' retry posts the notice once", async () => {
			const { body, deal } = signedDeal();
			const slackDown: StubAnswer = { status: 500, body: 'Internal Server Error' };
			slack.failNext(slackDown, {}, slackDown, {}, slackDown, {}, slackDown);
			expectRetried(
				await example.deliver(body),
				/Slack did not take the notice for task \d+: not in the channel after 4 looks/,
			);
			expect(messagesOf(deal.id)).toEqual([]);
			expect(tasksOf(deal.id).map((task) => task.notes.includes('Slack notice: posted'))).toEqual([
				false,
			]);
			await announce(body, deal.id);
		});

		it("does not post twice when Slack answers after RevOps' 30 s timeout and RevOps delivers again", async () => {
			const { body, deal } = signedDeal();
			// Slack posts the message but answers in 35 s: RevOps has given up on this attempt,
			// n8n's run goes on (its Slack node waits up to 300 s) and finishes the deal.
			slack.failNext({ delayMs: 35_000 });
			const slow = await example.deliver(body);
			expect([slow.status, slow.execution.status]).toEqual([null, 'success']);
			await announce(body, deal.id);
		});
	});
}

for (const version of EXAMPLE_VERSIONS) suite(version);
