import {
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IHookFunctions,
	type INodeParameters,
} from 'n8n-workflow';

import { RevOpsWebhookApi } from '../../credentials/RevOpsWebhookApi.credentials';
import {
	NO_KEY_WARNING,
	SIGNATURE_MISMATCH,
	signDelivery,
	keyLabel,
	VERIFICATION_KEY_FIELDS,
} from '../../nodes/RevOpsTrigger/verify';
import { RevOpsTrigger } from '../../nodes/RevOpsTrigger/RevOpsTrigger.node';
import { expectedItem } from '../support/expected-items';
import { fixtureBytes, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';
import { coreWebhook } from '../../tools/n8n-core/webhook';
import type { WebhookRequest } from '../../tools/n8n-core/http';

const node = new RevOpsTrigger();

/** A request, and the node's settings as saved (all events and 'Verification Key' unless given). */
interface ContextOptions extends WebhookRequest {
	events?: string[];
	authentication?: string;
	verificationKey?: string;
	options?: Record<string, unknown>;
}

/**
 * webhook() in n8n-core's own WebhookContext, the node saved in a real Workflow with these
 * settings (all events unless given) and the key stored as an encrypted n8n credential.
 */
const run = async (options: ContextOptions) => {
	const hook = await coreWebhook({
		parameters: {
			events: [...(options.events ?? ['*'])],
			authentication: options.authentication ?? 'verificationKey',
			options: (options.options ?? {}) as INodeParameters,
		},
		credential:
			options.verificationKey === undefined
				? undefined
				: { verificationSecret: options.verificationKey },
	});
	const { result, response, credentialLoads, warnings } = await hook.call(options);
	return { result, response, warnings, calls: { getCredentials: credentialLoads } };
};

describe('RevOps Trigger webhook()', () => {
	const signed = (file: string) => ({
		rawBody: fixtureBytes(file),
		headers: { 'x-revops-content-hmac': SIGNATURE_VECTORS[file] },
		verificationKey: TEST_KEY,
	});

	it('emits one item for a signed delivery and leaves the answer to n8n', async () => {
		const { result, response } = await run(signed('deal-signed.json'));
		expect(Object.keys(result)).toEqual(['workflowData']);
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.workflowData?.[0][0].json).toEqual(expectedItem('deal-signed', true));
		expect(response).toEqual({});
	});

	it('answers a filtered event with the acknowledgement and no execution', async () => {
		const { result } = await run({ ...signed('account-created.json'), events: ['deal-signed'] });
		expect(result).toEqual({ webhookResponse: 'RevOps API Event Received' });
	});

	it('writes a 401 itself for a wrong signature and starts nothing', async () => {
		const { result, response } = await run({
			...signed('deal-signed.json'),
			headers: { 'x-revops-content-hmac': '00'.repeat(32) },
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({
			status: 401,
			json: { code: 401, message: SIGNATURE_MISMATCH },
		});
	});

	it('writes a 400 for bad input', async () => {
		const { result, response } = await run({
			authentication: 'none',
			rawBody: Buffer.from('[1,2]'),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(400);
	});

	it('answers 415 to a multipart body, which n8n has turned into form fields', async () => {
		const { result, response } = await run({
			authentication: 'none',
			headers: { 'content-type': 'multipart/form-data; boundary=x' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(415);
	});

	it('does not load the credential when authentication is off', async () => {
		const { result, calls } = await run({
			authentication: 'none',
			rawBody: fixtureBytes('deal-signed.json'),
		});
		expect(calls.getCredentials).toBe(0);
		expect(result.workflowData?.[0][0].json).toMatchObject({ signatureVerified: false });
	});

	it('accepts a GET with the envelope in the payload parameter', async () => {
		const payload = fixtureBytes('deal-signed.json').toString('utf8');
		const { result } = await run({
			method: 'GET',
			query: { payload },
			url: `/webhook/abc/webhook?payload=${encodeURIComponent(payload)}`,
			headers: { 'x-revops-content-hmac': SIGNATURE_VECTORS['deal-signed.json'] },
			verificationKey: TEST_KEY,
		});
		expect(result.workflowData?.[0][0].json).toEqual(expectedItem('deal-signed', true));
	});

	it("refuses every delivery with 401 when the credential's key is empty, and says why in the log", async () => {
		const { result, response, warnings } = await run({
			...signed('deal-signed.json'),
			verificationKey: '',
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({
			status: 401,
			json: {
				code: 401,
				message: 'The trigger has no Verification Key, so it cannot verify any delivery',
			},
		});
		expect(warnings).toEqual([
			expect.stringContaining(
				'refused a delivery from 127.0.0.1 (claims event deal-signed) with 401: The trigger has no Verification Key',
			),
			'RevOps Trigger: the RevOps Webhook API credential holds no Verification Key, so every delivery is refused with 401. Copy the key from RevOps > Settings > Webhooks into the credential.',
		]);
	});

	it('reports a credential that cannot be loaded as a node error, which n8n answers with 500', async () => {
		const { verificationKey: _none, ...withoutCredential } = signed('deal-signed.json');
		await expect(run(withoutCredential)).rejects.toThrow('Node does not have any credentials set');
	});
});

describe('RevOps Trigger parameters and answers as n8n resolves them', () => {
	const signedRequest = (file: string) => ({
		rawBody: fixtureBytes(file),
		headers: {
			'content-type': 'application/json',
			'x-revops-content-hmac': SIGNATURE_VECTORS[file],
		},
	});
	const withKey = { credential: { verificationSecret: TEST_KEY } };

	it('accepts a delivery signed with any key of the credential, and logs which when it is not the first', async () => {
		const hook = await coreWebhook({
			parameters: { events: ['*'] },
			credential: { verificationSecret: 'new-key', verificationSecret2: TEST_KEY },
		});
		const body = fixtureBytes('deal-signed.json');
		const withOld = await hook.call({
			rawBody: body,
			headers: { 'x-revops-content-hmac': SIGNATURE_VECTORS['deal-signed.json'] },
		});
		expect(withOld.result.workflowData?.[0][0].json).toMatchObject({
			signatureVerified: true,
			verifiedWithKey: 2,
		});
		expect(withOld.warnings).toEqual([
			expect.stringContaining(
				"accepted a delivery signed with 'Verification Key 2' of its credential, not with 'Verification Key'",
			),
		]);
		const withNew = await hook.call({
			rawBody: body,
			headers: { 'x-revops-content-hmac': signDelivery('new-key', body) },
		});
		expect(withNew.result.workflowData?.[0][0].json).toMatchObject({ verifiedWithKey: 1 });
		expect(withNew.warnings).toEqual([]);
		const logged = JSON.stringify([withOld.warnings, withOld.result]);
		for (const secret of [TEST_KEY, 'new-key']) expect(logged).not.toContain(secret);
	});

	it('is version 1.1 for new workflows and keeps version 1 for saved ones', () => {
		expect(node.description.version).toEqual([1, 1.1]);
		expect(node.description.defaultVersion).toBe(1.1);
	});

	it.each([undefined, 'application/octet-stream', 'application/vnd.revops+json'])(
		"in version 1.1, reads a body n8n left unread (content type %p) through n8n's own reader",
		async (contentType) => {
			const hook = await coreWebhook({
				...withKey,
				typeVersion: 1.1,
				parameters: { events: ['*'] },
			});
			const headers: Record<string, string> = {
				'x-revops-content-hmac': SIGNATURE_VECTORS['deal-signed.json'],
			};
			if (contentType) headers['content-type'] = contentType;
			const { result } = await hook.call({ headers, unreadBody: fixtureBytes('deal-signed.json') });
			expect(result.workflowData?.[0][0].json).toEqual(expectedItem('deal-signed', true));
		},
	);

	it.each([
		[
			413,
			Object.assign(new Error('request entity too large'), {
				status: 413,
				type: 'entity.too.large',
			}),
			'The body is larger than this n8n accepts (N8N_PAYLOAD_SIZE_MAX)',
		],
		[
			400,
			new Error('Request body stream was aborted mid-read or is not readable'),
			'The body could not be read: the request was aborted or its encoding is broken',
		],
	])("answers %i when n8n's reader fails, never 5xx", async (status, error, message) => {
		const hook = await coreWebhook({ ...withKey, typeVersion: 1.1, parameters: { events: ['*'] } });
		const { result, response } = await hook.call({
			headers: { 'content-type': 'application/octet-stream' },
			unreadBody: error,
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ status, json: { code: status, message } });
	});

	it('gets its unset parameters from the description defaults', async () => {
		const hook = await coreWebhook({ ...withKey, parameters: { events: ['deal-signed'] } });
		expect(hook.node.parameters).toMatchObject({
			authentication: 'verificationKey',
			acknowledge: 'whenReceived',
			options: {},
		});
	});

	it('refuses with 409, never acknowledges, when no event type is selected (the default)', async () => {
		const hook = await coreWebhook(withKey);
		const { result, response } = await hook.call(signedRequest('deal-signed.json'));
		expect([result, response.status]).toEqual([{ noWebhookResponse: true }, 409]);
	});

	it('evaluates an events expression the way n8n does', async () => {
		const hook = await coreWebhook({
			...withKey,
			parameters: { events: '={{ ["deal-" + "signed"] }}' },
		});
		expect((await hook.call(signedRequest('deal-signed.json'))).result.workflowData).toHaveLength(
			1,
		);
		expect((await hook.call(signedRequest('account-created.json'))).result).toEqual({
			webhookResponse: 'RevOps API Event Received',
		});
	});

	it('never asks n8n for a credential with Authentication None, where n8n-core would refuse: "Credentials not found"', async () => {
		const hook = await coreWebhook({ parameters: { authentication: 'none', events: ['*'] } });
		expect((await hook.call({ rawBody: fixtureBytes('deal-signed.json') })).credentialLoads).toBe(
			0,
		);
		await expect(hook.prepare({}).context.getCredentials('revOpsWebhookApi')).rejects.toThrow(
			'Credentials not found',
		);
	});

	it.each([
		['whenReceived', 'onReceived', 'RevOps API Event Received'],
		['whenWorkflowSucceeds', 'lastNode', 'firstEntryJson'],
	])(
		'with Acknowledge %s, n8n resolves the webhook to answer %s with %s, with and without its expression engine',
		async (acknowledge, responseMode, responseData) => {
			const hook = await coreWebhook({ ...withKey, parameters: { events: ['*'], acknowledge } });
			const descriptions =
				hook.workflow.nodeTypes.getByNameAndVersion(hook.node.type, 1).description.webhooks ?? [];
			expect(descriptions.map((description) => description.httpMethod)).toEqual(['POST', 'GET']);
			for (const description of descriptions) {
				const byEngine = (field: string) =>
					hook.workflow.expression.getSimpleParameterValue(
						hook.node,
						description[field] as string,
						'webhook',
						{},
					);
				expect(byEngine('responseMode')).toBe(responseMode);
				expect(byEngine('responseData')).toBe(responseData);
				// n8n 2.41 skips the engine (and its isolate) for descriptions it can resolve natively.
				expect(webhookDescriptionIsNativelyResolvable(description)).toBe(true);
				expect(resolveWebhookDescriptionField(hook.node, description, 'responseMode')).toEqual({
					resolved: true,
					value: responseMode,
				});
				expect(resolveWebhookDescriptionField(hook.node, description, 'responseData')).toEqual({
					resolved: true,
					value: responseData,
				});
			}
		},
	);
});

describe('Verification Key credential test', () => {
	const test = (data: Record<string, unknown>) =>
		node.methods.credentialTest.revOpsVerificationKeyTest.call(
			{} as ICredentialTestFunctions,
			{ id: '1', name: 'RevOps', type: 'revOpsWebhookApi', data } as ICredentialsDecrypted,
		);

	it.each([
		[
			'one key',
			{ verificationSecret: TEST_KEY },
			'OK',
			'The key is set. RevOps has no API to check keys: send a test event from RevOps to confirm.',
		],
		[
			'two keys',
			{ verificationSecret: TEST_KEY, verificationSecret2: 'old-key' },
			'OK',
			'2 keys are set. RevOps has no API to check keys: send a test event from RevOps to confirm.',
		],
		[
			'a later key alone',
			{ verificationSecret: '', verificationSecret4: TEST_KEY },
			'OK',
			'The key is set. RevOps has no API to check keys: send a test event from RevOps to confirm.',
		],
		[
			'no key',
			{ verificationSecret: '' },
			'Error',
			"Enter the 'Verification Key' shown for the webhook in RevOps",
		],
		[
			'every key empty',
			{ verificationSecret: '', verificationSecret2: '', verificationSecret5: '' },
			'Error',
			"Enter the 'Verification Key' shown for the webhook in RevOps",
		],
		[
			'a key pasted with a trailing space',
			{ verificationSecret: `${TEST_KEY} ` },
			'Error',
			"'Verification Key' starts or ends with a space: copy it again from RevOps",
		],
		[
			'a second key with a leading space',
			{ verificationSecret: TEST_KEY, verificationSecret2: ' old-key' },
			'Error',
			"'Verification Key 2' starts or ends with a space: copy it again from RevOps",
		],
		[
			'a repeated key',
			{
				verificationSecret: TEST_KEY,
				verificationSecret2: 'old-key',
				verificationSecret3: TEST_KEY,
			},
			'Error',
			"'Verification Key 3' is the same as 'Verification Key': remove one of them",
		],
	])(
		'answers %s with %s, naming the key by its label and never echoing it',
		async (_label, data, status, message) => {
			expect(await test(data)).toEqual({ status, message });
		},
	);
});

describe('RevOps Webhook API credential', () => {
	it('has exactly the key fields the node reads, labelled as every message names them, all password fields', () => {
		const { properties } = new RevOpsWebhookApi();
		expect(properties.map((property) => property.name)).toEqual([...VERIFICATION_KEY_FIELDS]);
		expect(properties.map((property) => property.displayName)).toEqual(
			VERIFICATION_KEY_FIELDS.map((_field, index) => keyLabel(index + 1)),
		);
		for (const property of properties) expect(property.typeOptions?.password).toBe(true);
	});
});

describe("RevOps Trigger activation, in n8n-core's HookContext", () => {
	/** The hook context n8n builds when it activates the workflow, the node saved with these options. */
	const activation = async (
		options: INodeParameters,
		webhookBaseUrl: string,
		verificationKey = TEST_KEY,
	) => {
		const hook = await coreWebhook({
			parameters: { events: ['*'], options },
			credential: { verificationSecret: verificationKey },
		});
		const { context, warnings } = hook.activation(webhookBaseUrl);
		return { context: context as IHookFunctions, warnings, webhookId: hook.node.webhookId };
	};
	const hooks = node.webhookMethods.default;

	it('asks n8n to call create(), and create() accepts a valid configuration quietly', async () => {
		const { context, warnings } = await activation(
			{ ipAllowlist: '203.0.113.7, 2001:db8::/32' },
			'https://n8n.example.com/webhook',
		);
		expect(await hooks.checkExists.call(context)).toBe(false);
		expect(await hooks.create.call(context)).toBe(true);
		expect(await hooks.delete.call(context)).toBe(true);
		expect(warnings).toEqual([]);
	});

	/**
	 * Every value the settings check refuses, each as a user could save it (a literal in an
	 * imported workflow) and as an expression resolving to it, with the setting it names and
	 * what publishing answers. ('Options' set to anything but a collection never reaches the
	 * node: n8n replaces it with the empty collection when it loads the workflow.)
	 */
	const REFUSED: Array<[string, INodeParameters, INodeParameters, string, string]> = [
		// label, the parameters as a literal, the same as an expression, setting, message
		[
			'an empty Trigger On',
			{ events: [] },
			{ events: '={{ [] }}' },
			'Trigger On',
			"'Trigger On' is an empty list",
		],
		[
			'a Trigger On that is text',
			{ events: 'deal' },
			{ events: '={{ "deal" }}' },
			'Trigger On',
			"'Trigger On' is the text 'deal'",
		],
		[
			'a Trigger On that is a number',
			{ events: 7 },
			{ events: '={{ 7 }}' },
			'Trigger On',
			"'Trigger On' is the number 7",
		],
		[
			'a Trigger On that is an object',
			{ events: { type: 'deal-signed' } },
			{ events: '={{ { type: "deal-signed" } }}' },
			'Trigger On',
			"'Trigger On' is an object",
		],
		[
			'a Trigger On with an unknown event',
			{ events: ['deal-signed', 'deal-sined'] },
			{ events: '={{ ["deal-signed", "deal-sined"] }}' },
			'Trigger On',
			"'Trigger On' lists the text 'deal-sined', which is not a RevOps event",
		],
		[
			'an age that is text',
			{ options: { maxEventAgeMinutes: 'half an hour' } },
			{ options: { maxEventAgeMinutes: "={{ 'half an hour' }}" } },
			'Reject Events Older Than (Minutes)',
			"is the text 'half an hour', not a whole number of minutes",
		],
		[
			'a negative age',
			{ options: { maxEventAgeMinutes: -5 } },
			{ options: { maxEventAgeMinutes: '={{ -5 }}' } },
			'Reject Events Older Than (Minutes)',
			'is the number -5, not a whole number of minutes',
		],
		[
			'a fractional age',
			{ options: { maxEventAgeMinutes: 2.5 } },
			{ options: { maxEventAgeMinutes: '={{ 2.5 }}' } },
			'Reject Events Older Than (Minutes)',
			'is the number 2.5, not a whole number of minutes',
		],
		[
			'an allowlist that is a number',
			{ options: { ipAllowlist: 127 } },
			{ options: { ipAllowlist: '={{ 127 }}' } },
			'IP(s) Allowlist',
			"'IP(s) Allowlist' is the number 127, not a comma-separated list",
		],
		[
			'an allowlist entry that is not an address',
			{ options: { ipAllowlist: '203.0.113.7, office' } },
			{ options: { ipAllowlist: '={{ "203.0.113.7, office" }}' } },
			'IP(s) Allowlist',
			"'office' in 'IP(s) Allowlist' is not an IP address or range",
		],
		[
			'an unknown Authentication',
			{ authentication: 'verificationkey' },
			{ authentication: '={{ "" }}' },
			'Authentication',
			'which is not one of its options',
		],
		[
			'an unknown Acknowledge',
			{ acknowledge: 'whenDone' },
			{ acknowledge: '={{ "later" }}' },
			'Acknowledge',
			'which is not one of its options',
		],
		[
			'a Trigger On whose expression fails',
			{ events: '={{ $("No Such Node").item.json.types }}' },
			{ events: '={{ $("No Such Node").item.json.types }}' },
			'Trigger On',
			"'Trigger On' is a value n8n could not resolve",
		],
	];

	describe.each(REFUSED)('%s', (_label, literal, expression, setting, message) => {
		describe.each([
			['as a literal', literal],
			['as an expression', expression],
		])('%s', (_form, parameters) => {
			const setup = async () =>
				await coreWebhook({
					parameters: { events: ['*'], options: {}, ...parameters },
					credential: { verificationSecret: TEST_KEY },
				});

			it(`refuses to publish, naming '${setting}'`, async () => {
				const hook = await setup();
				const { context } = hook.activation('https://n8n.example.com/webhook');
				await expect(hooks.create.call(context as IHookFunctions)).rejects.toThrow(message);
			});

			it('refuses a signed delivery with 409 and one line naming the setting, never 200 or 5xx', async () => {
				const hook = await setup();
				const { result, response, warnings } = await hook.call({
					rawBody: fixtureBytes('deal-signed.json'),
					headers: { 'x-revops-content-hmac': SIGNATURE_VECTORS['deal-signed.json'] },
				});
				expect(result).toEqual({ noWebhookResponse: true });
				expect(response).toEqual({
					status: 409,
					json: {
						code: 409,
						message: `The trigger's '${setting}' setting is not usable, so it accepts no delivery until the setting is fixed`,
					},
				});
				expect(warnings).toEqual([
					expect.stringContaining(`with 409: The trigger's '${setting}' setting is not usable`),
					expect.stringContaining(message),
				]);
			});
		});
	});

	it('publishes with every event selected, an age of 0 and an empty allowlist, given as literals or expressions', async () => {
		for (const parameters of [
			{ events: ['*'], options: { maxEventAgeMinutes: 0, ipAllowlist: '' } },
			{
				events: '={{ ["*"] }}',
				options: { maxEventAgeMinutes: '={{ 0 }}', ipAllowlist: '={{ "" }}' },
			},
			{
				events: '={{ ["deal-signed", "account-created"] }}',
				options: { maxEventAgeMinutes: '={{ 30 }}' },
			},
		]) {
			const hook = await coreWebhook({ parameters, credential: { verificationSecret: TEST_KEY } });
			const { context } = hook.activation('https://n8n.example.com/webhook');
			expect(await hooks.create.call(context as IHookFunctions)).toBe(true);
		}
	});

	it('activates with a list of only separators in the allowlist, which allows any address as at delivery time', async () => {
		const { context } = await activation(
			{ ipAllowlist: ' , ,' },
			'https://n8n.example.com/webhook',
		);
		expect(await hooks.create.call(context)).toBe(true);
	});

	it('warns at activation when the Verification Key is empty', async () => {
		const { context, warnings } = await activation({}, 'https://n8n.example.com/webhook', '');
		expect(await hooks.create.call(context)).toBe(true);
		expect(warnings).toEqual([NO_KEY_WARNING]);
	});

	it('warns with the URL n8n built when it is not https, which RevOps refuses', async () => {
		const { context, warnings, webhookId } = await activation({}, 'http://localhost:5678/webhook');
		expect(await hooks.create.call(context)).toBe(true);
		expect(warnings).toEqual([
			`RevOps Trigger: the webhook URL http://localhost:5678/webhook/${webhookId}/webhook is not https. RevOps accepts only https URLs: set N8N_WEBHOOK_URL (WEBHOOK_URL on n8n 1.x) to n8n's public https address.`,
		]);
	});
});

describe('RevOps Trigger options', () => {
	it('refuses an address outside the allowlist without loading the credential', async () => {
		const { response, calls } = await run({
			rawBody: fixtureBytes('deal-signed.json'),
			verificationKey: TEST_KEY,
			ip: '198.51.100.4',
			options: { ipAllowlist: '203.0.113.0/24' },
		});
		expect(response.status).toBe(403);
		expect(calls.getCredentials).toBe(0);
	});

	it('passes the client address to the allowlist', async () => {
		const { result, response } = await run({
			authentication: 'none',
			rawBody: fixtureBytes('deal-signed.json'),
			ip: '198.51.100.4',
			options: { ipAllowlist: '203.0.113.0/24' },
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({
			status: 403,
			json: { code: 403, message: "This address is not in the trigger's IP allowlist" },
		});
	});
});
