/**
 * Two of the example workflows in examples/ (billing and SLA have their own files), end to end in a real n8n 2.41.1: each file imported
 * as it is, its service URLs pointed at local stubs, its credentials attached, published, and
 * fed the signed fixture events by the RevOps sender. What each workflow did is read back from
 * the stubs, field by field.
 */
import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import {
	credentialsNamed,
	importAndPublish,
	readExample,
	type ExampleWorkflow,
} from '../../tools/n8n/examples';
import { sendOnce } from '../../tools/revops/sender';
import { ApiStub, crmStub, productStub, type StubRequest } from '../support/api-stubs';
import { EXPECTED_ITEMS } from '../support/expected-items';
import { fixtureBytes, TEST_KEY } from '../support/fixtures';
import { printLogTailOnFailure } from './log-tail';
import { packedTarball } from './tarball';

jest.setTimeout(300_000);

const ACK = 'RevOps API Event Received';

/** The token each stand-in service expects, one per credential name the examples use. */
const API_TOKENS: Record<string, string> = {
	'Product API key': 'product-key-example',
	'CRM private app token': 'pat-na1-example',
};

const expected = (name: string) =>
	EXPECTED_ITEMS[name] as Record<string, never> & {
		dedupeKey: string;
		netPrice: { amount: string; currency: string; minorUnits: number };
	};

describe('the example workflows in n8n 2.41.1', () => {
	let n8n: N8nInstance;
	const credentials = new Map<string, { id: string; name: string }>();
	const product = productStub();
	const crm = crmStub();
	const stubs: ApiStub[] = [product, crm];

	async function createCredentials(workflow: ExampleWorkflow): Promise<void> {
		for (const { type, name } of credentialsNamed(workflow)) {
			if (credentials.has(`${type}/${name}`)) continue;
			const data =
				type === 'revOpsWebhookApi'
					? { verificationSecret: TEST_KEY }
					: { name: 'Authorization', value: `Bearer ${API_TOKENS[name]}` };
			credentials.set(`${type}/${name}`, await n8n.createCredential(name, type, data));
		}
	}

	/** Imports and publishes an example with the real service origins swapped for stubs. */
	async function publishExample(
		file: string,
		origins: Record<string, string>,
	): Promise<{ id: string; url: string }> {
		const workflow = readExample(file);
		await createCredentials(workflow);
		const url = await importAndPublish(n8n, workflow, {
			origins,
			credential: (type, name) => {
				const found = credentials.get(`${type}/${name}`);
				if (found === undefined) throw new Error(`No credential ${type}/${name}`);
				return found;
			},
		});
		return { id: workflow.id, url };
	}

	/** Sends fixtures one after another, each acknowledged, and waits until their executions succeeded. */
	async function feed(
		workflow: { id: string; url: string },
		fixtures: string[],
		executionsBefore = 0,
	): Promise<void> {
		for (const fixture of fixtures) {
			const answer = await sendOnce(fixtureBytes(fixture), {
				url: workflow.url,
				key: TEST_KEY,
				timeoutMs: 30_000,
			});
			expect({ fixture, status: answer.status, body: answer.body }).toEqual({
				fixture,
				status: 200,
				body: ACK,
			});
			// One at a time, so the stubs see the events in the order RevOps sent them.
			const executions = await n8n.executions(workflow.id, {
				expected: executionsBefore + 1,
				timeoutMs: 60_000,
			});
			executionsBefore += 1;
			expect(executions.map((execution) => [execution.status, execution.error])).toEqual(
				executions.map(() => ['success', undefined]),
			);
		}
	}

	const authorisation = (request: StubRequest) => request.headers.authorization;

	beforeAll(async () => {
		await Promise.all(stubs.map(async (stub) => await stub.start()));
		n8n = await startN8n({ version: '2.41.1', tarball: await packedTarball() });
	});

	afterAll(async () => {
		await n8n?.stop();
		await Promise.all(stubs.map(async (stub) => await stub.stop()));
	});

	printLogTailOnFailure(() => n8n);

	it('Feature flags: an activated deal switches on exactly the features it enabled', async () => {
		const workflow = await publishExample('revops-feature-flags.json', {
			'https://product.example.com': product.origin,
		});
		// A signed deal is not selected: acknowledged, but nothing reaches the product.
		const skipped = await sendOnce(fixtureBytes('deal-signed'), {
			url: workflow.url,
			key: TEST_KEY,
		});
		expect([skipped.status, skipped.body]).toEqual([200, ACK]);
		await feed(workflow, ['deal-active']);
		const item = expected('deal-active');

		expect(product.received).toHaveLength(1);
		const [request] = product.received as [StubRequest];
		expect([request.method, request.path, authorisation(request)]).toEqual([
			'PUT',
			`/api/v1/accounts/${item.accountId}/features`,
			`Bearer ${API_TOKENS['Product API key']}`,
		]);
		expect(request.body).toEqual({
			enabled: ['sso_saml', 'audit_log_export'],
			reason: `RevOps deal ${item.dealId} activated`,
			dedupeKey: item.dedupeKey,
		});
		// The fixture also lists sandbox_workspaces, disabled: it must stay off.
		expect(Object.fromEntries(product.features)).toEqual({
			[item.accountId]: item.enabledFeatureFlags,
		});
	});

	it('CRM: account created, updated and deleted upsert the company and then close it, through one Switch', async () => {
		const workflow = await publishExample('revops-crm-hubspot.json', {
			'https://api.hubapi.com': crm.origin,
		});
		await feed(workflow, ['account-created', 'account-updated', 'account-deleted']);
		const [created, updated, deleted] = [
			'account-created',
			'account-updated',
			'account-deleted',
		].map(expected);

		expect(crm.received.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /crm/v3/objects/companies/batch/upsert',
			'POST /crm/v3/objects/companies/batch/upsert',
			`PATCH /crm/v3/objects/companies/${created.accountId}`,
		]);
		expect(crm.received.map(authorisation)).toEqual(
			Array(3).fill(`Bearer ${API_TOKENS['CRM private app token']}`),
		);
		const upsert = (item: typeof created) => ({
			inputs: [
				{
					idProperty: 'revops_account_id',
					id: item.accountId,
					properties: {
						revops_account_id: item.accountId,
						name: item.accountName,
						revops_billing_email: item.accountEmail,
						revops_status: item.accountStatus,
						revops_last_event: item.dedupeKey,
					},
				},
			],
		});
		expect(crm.received[0]?.body).toEqual(upsert(created));
		expect(crm.received[1]?.body).toEqual(upsert(updated));
		expect(crm.received[2]?.query).toEqual({ idProperty: 'revops_account_id' });
		expect(crm.received[2]?.body).toEqual({
			properties: {
				revops_status: 'deleted',
				revops_closed_at: deleted.eventTime,
				revops_last_event: deleted.dedupeKey,
			},
		});
		expect(Object.fromEntries(crm.companies)).toEqual({
			[created.accountId]: {
				revops_account_id: created.accountId,
				name: 'Northwind Analytics',
				revops_billing_email: 'ap@northwind.example',
				revops_status: 'deleted',
				revops_closed_at: deleted.eventTime,
				revops_last_event: deleted.dedupeKey,
			},
		});
	});
});
