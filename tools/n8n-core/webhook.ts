/**
 * The RevOps Trigger's webhook() inside n8n-core's own WebhookContext, on a real Workflow from
 * n8n-workflow: parameters come from the node as a user saved it (with n8n filling in the
 * defaults), and getCredentials() decrypts an encrypted credential through n8n-core's
 * Credentials class, as n8n does. Only the database lookup and the HTTP server are left out:
 * the request is a plain object and the response records what the node writes.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { Container } from '@n8n/di';
import {
	Cipher,
	Credentials,
	EncryptionKeyProxy,
	HookContext,
	InstanceSettings,
	WebhookContext,
} from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { RevOpsWebhookApi } from '../../credentials/RevOpsWebhookApi.credentials';
import { RevOpsTrigger } from '../../nodes/RevOpsTrigger/RevOpsTrigger.node';
import { TRIGGER_TYPE } from '../n8n/workflows';
import { recordingResponse, type RecordedResponse, type WebhookRequest } from './http';

const CREDENTIAL = { id: 'cred-1', name: 'RevOps' };

let prepared = false;

/**
 * n8n-core reads its settings (and writes an encryption key) under N8N_USER_FOLDER, and
 * encrypts credentials with the key n8n's key manager provides: without key rotation, the
 * instance key itself, which is what this gives it too.
 */
function prepareN8nCore(): void {
	if (prepared) return;
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-core-'));
	const cipher = Container.get(Cipher);
	const instanceKey = {
		id: 'instance',
		value: cipher.encryptDEKWithInstanceKey(Container.get(InstanceSettings).encryptionKey),
		algorithm: 'aes-256-cbc' as const,
		format: 'no-prefix' as const,
	};
	Container.get(EncryptionKeyProxy).setProvider({
		getActiveKey: async () => instanceKey,
		getKeyById: async () => null,
		getLegacyKey: async () => instanceKey,
	});
	prepared = true;
}

class TriggerNodeTypes implements INodeTypes {
	readonly trigger = new RevOpsTrigger();

	getByName(type: string): INodeType {
		return this.getByNameAndVersion(type);
	}

	getByNameAndVersion(type: string): INodeType {
		if (type !== TRIGGER_TYPE) throw new Error(`unknown node type ${type}`);
		return this.trigger;
	}

	getKnownTypes() {
		return {};
	}
}

async function notUsedByWebhook(): Promise<never> {
	throw new Error('not used by webhook()');
}

/** Holds one encrypted credential and decrypts it the way n8n's credentials helper does, minus the database. */
class EncryptedCredentialStore extends ICredentialsHelper {
	private readonly credentialType = new RevOpsWebhookApi();

	constructor(private readonly stored: ICredentialsEncrypted | undefined) {
		super();
	}

	static async holding(
		data: ICredentialDataDecryptedObject | undefined,
	): Promise<EncryptedCredentialStore> {
		if (data === undefined) return new EncryptedCredentialStore(undefined);
		const credentials = new Credentials(CREDENTIAL, 'revOpsWebhookApi');
		await credentials.setData(data);
		return new EncryptedCredentialStore(credentials.getDataToSave());
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (
			this.stored === undefined ||
			nodeCredentials.id !== this.stored.id ||
			type !== this.credentialType.name
		) {
			throw new Error(`no ${type} credential ${String(nodeCredentials.id)}`);
		}
		const data = await new Credentials(CREDENTIAL, type, this.stored.data).getData();
		return NodeHelpers.getNodeParameters(
			this.credentialType.properties,
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
	}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getParentTypes(): string[] {
		return [];
	}

	// The rest of n8n's credentials helper serves nodes that call APIs, never webhook().
	getCredentials = notUsedByWebhook;

	authenticate = notUsedByWebhook;

	preAuthentication = notUsedByWebhook;

	runPreAuthentication = notUsedByWebhook;

	updateCredentials = notUsedByWebhook;

	updateCredentialsOauthTokenData = notUsedByWebhook;
}

export interface CoreWebhookRequest extends WebhookRequest {
	/**
	 * A body n8n left unread, as it does above node version 1 for content types it does not
	 * parse: `readRawBody()` (n8n's own reader) yields it, or throws it when it is an error.
	 */
	unreadBody?: Buffer | Error;
}

export interface TriggerSetup {
	/** The node's parameters as saved in the workflow; n8n fills in the rest from the defaults. */
	parameters?: INodeParameters;
	/** The stored credential's data; undefined stores none. */
	credential?: ICredentialDataDecryptedObject;
	/** The node version the workflow saved; 1 unless given. */
	typeVersion?: number;
}

export interface PreparedCall {
	context: WebhookContext;
	response: RecordedResponse;
	/** How often getCredentials() reached the credential store. */
	credentialLoads(): number;
	/** What the node logged as warnings through n8n's logger. */
	warnings: string[];
}

export interface CoreWebhook {
	workflow: Workflow;
	node: INode;
	/** A fresh WebhookContext for one request, as n8n makes per request. */
	prepare(request: CoreWebhookRequest): PreparedCall;
	/** Runs webhook() once in a fresh WebhookContext. */
	call(request: CoreWebhookRequest): Promise<{
		result: IWebhookResponseData;
		response: RecordedResponse;
		credentialLoads: number;
		warnings: string[];
	}>;
	/** The HookContext n8n gives the lifecycle methods when it activates the workflow, n8n's webhook URLs under `webhookBaseUrl`. */
	activation(webhookBaseUrl: string): { context: HookContext; warnings: string[] };
}

/** n8n's logger writes to the console; the tests read what the node told the operator. */
function captureWarnings(context: WebhookContext | HookContext): string[] {
	const warnings: string[] = [];
	const ignore = () => undefined;
	Object.defineProperty(context, 'logger', {
		value: {
			warn: (message: string) => warnings.push(message),
			error: ignore,
			info: ignore,
			debug: ignore,
		},
	});
	return warnings;
}

export async function coreWebhook(setup: TriggerSetup = {}): Promise<CoreWebhook> {
	prepareN8nCore();
	const nodeTypes = new TriggerNodeTypes();
	const node: INode = {
		id: 'c0a8e6b2-0000-4000-8000-000000000001',
		name: 'RevOps Trigger',
		type: TRIGGER_TYPE,
		typeVersion: setup.typeVersion ?? 1,
		position: [0, 0],
		webhookId: 'c0a8e6b2-0000-4000-8000-000000000002',
		parameters: setup.parameters ?? {},
		...(setup.credential ? { credentials: { revOpsWebhookApi: CREDENTIAL } } : {}),
	};
	const workflow = new Workflow({
		id: 'workflow1',
		name: 'RevOps',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		settings: {},
	});
	const store = await EncryptedCredentialStore.holding(setup.credential);
	const savedNode = workflow.getNode(node.name) as INode;
	const webhookDescription = nodeTypes.trigger.description.webhooks?.[0];
	if (webhookDescription === undefined) throw new Error('the trigger declares no webhook');

	const prepare = (request: CoreWebhookRequest): PreparedCall => {
		const { res, response } = recordingResponse();
		let credentialLoads = 0;
		const credentialsHelper = Object.create(store, {
			getDecrypted: {
				value: async (...args: Parameters<EncryptedCredentialStore['getDecrypted']>) => {
					credentialLoads += 1;
					return await store.getDecrypted(...args);
				},
			},
		}) as EncryptedCredentialStore;
		const url = request.url ?? `/webhook/${savedNode.webhookId}/webhook`;
		const httpRequest = {
			method: request.method ?? 'POST',
			headers: request.headers ?? {},
			query: request.query ?? {},
			params: {},
			body: {},
			url,
			originalUrl: url,
			rawBody: request.rawBody,
			ip: request.ip ?? '127.0.0.1',
			async readRawBody(this: { rawBody?: Buffer }) {
				if (this.rawBody !== undefined || request.unreadBody === undefined) return;
				if (request.unreadBody instanceof Error) throw request.unreadBody;
				this.rawBody = request.unreadBody;
			},
		};
		const additionalData = {
			credentialsHelper,
			httpRequest,
			httpResponse: res,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: httpRequest.method,
			node: savedNode.name,
			path: 'webhook',
			webhookDescription,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: savedNode.webhookId,
		};
		const context = new WebhookContext(
			workflow,
			savedNode,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		return {
			context,
			response,
			credentialLoads: () => credentialLoads,
			warnings: captureWarnings(context),
		};
	};
	return {
		workflow,
		node: savedNode,
		prepare,
		async call(request) {
			const { context, response, credentialLoads, warnings } = prepare(request);
			const result = await nodeTypes.trigger.webhook.call(context);
			return { result, response, credentialLoads: credentialLoads(), warnings };
		},
		activation(webhookBaseUrl) {
			const additionalData = {
				credentialsHelper: store,
				webhookBaseUrl,
			} as unknown as IWorkflowExecuteAdditionalData;
			const context = new HookContext(workflow, savedNode, additionalData, 'trigger', 'activate');
			return { context, warnings: captureWarnings(context) };
		},
	};
}
