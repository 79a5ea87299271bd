/**
 * The node's glue inside n8n-core's own WebhookContext on a real n8n-workflow Workflow:
 * parameters as n8n resolves them (defaults filled in, expressions evaluated), the credential
 * decrypted by n8n-core, and the webhook description's answer settings resolved by the same
 * expression call n8n's webhook server makes.
 */
import { resolveWebhookDescriptionField, webhookDescriptionIsNativelyResolvable } from 'n8n-workflow';

import { coreWebhook } from '../support/n8n-core-webhook';
import { EXPECTED_ITEMS } from '../support/expected-items';
import { fixtureBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';

const signed = (file: string) => ({
	rawBody: fixtureBytes(file),
	headers: { 'content-type': 'application/json', 'x-revops-content-hmac': SIGNATURE_VECTORS[file] },
});
const withKey = { credential: { verificationKey: TEST_KEY } };

describe('RevOps Trigger in n8n-core', () => {
	it('gets its unset parameters from the description defaults', async () => {
		const hook = await coreWebhook({ ...withKey, parameters: { events: ['deal-signed'] } });
		expect(hook.node.parameters).toMatchObject({ authentication: 'verificationKey', acknowledge: 'whenReceived', options: {} });
	});

	it('emits a signed delivery with the key n8n-core decrypted, loading it once', async () => {
		const hook = await coreWebhook({ ...withKey, parameters: { events: ['*'] } });
		const { result, response, credentialLoads } = await hook.call(signed('deal-signed.json'));
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.workflowData?.[0][0].json).toMatchObject({ ...EXPECTED_ITEMS['deal-signed'], signatureVerified: true });
		expect(response).toEqual({});
		expect(credentialLoads).toBe(1);
	});

	it('evaluates an events expression the way n8n does', async () => {
		const hook = await coreWebhook({ ...withKey, parameters: { events: '={{ ["deal-" + "signed"] }}' } });
		expect((await hook.call(signed('deal-signed.json'))).result.workflowData).toHaveLength(1);
		expect((await hook.call(signed('account-created.json'))).result).toEqual({ webhookResponse: 'RevOps API Event Received' });
	});

	it('filters everything when no event type is selected (the default)', async () => {
		const hook = await coreWebhook(withKey);
		expect((await hook.call(signed('deal-signed.json'))).result).toEqual({ webhookResponse: 'RevOps API Event Received' });
	});

	it('writes 401 for a wrong signature', async () => {
		const hook = await coreWebhook({ ...withKey, parameters: { events: ['*'] } });
		const { result, response } = await hook.call({ ...signed('deal-signed.json'), headers: { 'x-revops-content-hmac': 'ab'.repeat(32) } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(401);
	});

	it('never asks n8n for a credential with Authentication None (n8n-core would throw: none is set)', async () => {
		const hook = await coreWebhook({ parameters: { authentication: 'none', events: ['*'] } });
		const { result, credentialLoads } = await hook.call({ rawBody: fixtureBytes('deal-signed.json') });
		expect(result.workflowData?.[0][0].json).toMatchObject({ signatureVerified: false });
		expect(credentialLoads).toBe(0);
		await expect(hook.prepare({}).context.getCredentials('revOpsWebhookApi')).rejects.toThrow();
	});

	it.each([
		['whenReceived', 'onReceived', 'RevOps API Event Received'],
		['whenWorkflowSucceeds', 'lastNode', 'firstEntryJson'],
	])('with Acknowledge %s, n8n resolves the webhook to answer %s with %s, with and without its expression engine', async (acknowledge, responseMode, responseData) => {
		const hook = await coreWebhook({ ...withKey, parameters: { events: ['*'], acknowledge } });
		const descriptions = hook.workflow.nodeTypes.getByNameAndVersion(hook.node.type, 1).description.webhooks ?? [];
		expect(descriptions.map((description) => description.httpMethod)).toEqual(['POST', 'GET']);
		for (const description of descriptions) {
			const byEngine = (field: string) => hook.workflow.expression.getSimpleParameterValue(hook.node, description[field] as string, 'webhook', {});
			expect(byEngine('responseMode')).toBe(responseMode);
			expect(byEngine('responseData')).toBe(responseData);
			// n8n 2.41 skips the engine (and its isolate) for descriptions it can resolve natively.
			expect(webhookDescriptionIsNativelyResolvable(description)).toBe(true);
			expect(resolveWebhookDescriptionField(hook.node, description, 'responseMode')).toEqual({ resolved: true, value: responseMode });
			expect(resolveWebhookDescriptionField(hook.node, description, 'responseData')).toEqual({ resolved: true, value: responseData });
		}
	});
});
