import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleDelivery } from './delivery';
import {
	ACKNOWLEDGEMENT_TEXT,
	acknowledgeNotice,
	acknowledgeProperty,
	authenticationProperty,
	CREDENTIAL_TYPE,
	eventsProperty,
	optionsProperty,
	setupNotice,
	subtitle,
	unsignedWarning,
	WEBHOOKS,
} from './description';
import { logOtherKey, logRefusal } from './rejection-log';
import {
	AUTHENTICATION,
	checkSettings,
	UnresolvedParameter,
	type NodeParameters,
} from './settings';
import {
	checkCredentialKeys,
	NO_KEY_WARNING,
	SIGNATURE_HEADER,
	verificationKeys,
	type DeliveryRequest,
	type VerificationKeyCredential,
} from './verify';

/**
 * The body's exact bytes. n8n reads every body (but multipart, which it turns into form fields)
 * before calling a version-1 node; above version 1 it reads only JSON, text, form and XML bodies,
 * so for the rest (a missing content type included) the node asks n8n's own reader, with the same
 * size limit and decompression.
 */
async function readBody(
	request: ReturnType<IWebhookFunctions['getRequestObject']>,
	contentType: string | undefined,
): Promise<Pick<DeliveryRequest, 'rawBody' | 'unreadableBody'>> {
	if (
		request.rawBody !== undefined ||
		contentType?.startsWith('multipart/') ||
		typeof request.readRawBody !== 'function'
	) {
		return { rawBody: request.rawBody };
	}
	try {
		await request.readRawBody();
		return { rawBody: request.rawBody };
	} catch (error) {
		return {
			rawBody: undefined,
			unreadableBody: (error as { status?: unknown }).status === 413 ? 413 : 400,
		};
	}
}

/**
 * The parameters the trigger reads, as n8n resolves them now; one missing from the saved node
 * (n8n fills in defaults, so only a hand-made workflow lacks one) reads as the property's default.
 * n8n throws for an expression it cannot resolve; that becomes a value the settings check names,
 * instead of a 500.
 */
function nodeParameters(context: IHookFunctions | IWebhookFunctions): NodeParameters {
	const resolve = (property: INodeProperties): unknown => {
		try {
			return context.getNodeParameter(property.name, property.default);
		} catch (error) {
			return new UnresolvedParameter(error instanceof Error ? error.message : String(error));
		}
	};
	return {
		events: resolve(eventsProperty),
		authentication: resolve(authenticationProperty),
		acknowledge: resolve(acknowledgeProperty),
		options: resolve(optionsProperty),
	};
}

export class RevOpsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RevOps Trigger',
		name: 'revOpsTrigger',
		icon: { light: 'file:revops.svg', dark: 'file:revops.dark.svg' },
		group: ['trigger'],
		// 1.1: n8n no longer evaluates an expression for a binary-data option this node does not
		// have before every request, and reads only JSON, text, form and XML bodies itself.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle,
		description: 'Starts the workflow when a RevOps deal or account event arrives',
		defaults: { name: 'RevOps Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				// A literal, not CREDENTIAL_TYPE: n8n's lint reads credential names from the source.
				name: 'revOpsWebhookApi',
				required: true,
				testedBy: 'revOpsVerificationKeyTest',
				// Hidden only for None: every other value verifies, so it needs the key.
				displayOptions: { hide: { authentication: [AUTHENTICATION.none] } },
			},
		],
		webhooks: WEBHOOKS,
		properties: [
			setupNotice,
			authenticationProperty,
			unsignedWarning,
			eventsProperty,
			acknowledgeProperty,
			acknowledgeNotice,
			optionsProperty,
		],
	};

	methods = {
		credentialTest: {
			async revOpsVerificationKeyTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const { ok, message } = checkCredentialKeys(credential.data ?? {});
				return { status: ok ? 'OK' : 'Error', message };
			},
		},
	};

	// RevOps has no API for webhook subscriptions: the user pastes the URL into RevOps by
	// hand, so nothing is looked up, registered or removed on RevOps' side. checkExists says
	// "not registered" so that n8n calls create(), which checks the node's settings at
	// activation instead of failing every delivery later.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const checked = checkSettings(nodeParameters(this));
				if (!checked.ok) {
					throw new NodeOperationError(this.getNode(), checked.problem.problem, {
						description: checked.problem.advice,
					});
				}
				if (checked.settings.authentication === AUTHENTICATION.verificationKey) {
					const keys = verificationKeys(
						await this.getCredentials<VerificationKeyCredential>(CREDENTIAL_TYPE),
					);
					if (keys.length === 0) this.logger.warn(NO_KEY_WARNING);
				}
				const url = this.getNodeWebhookUrl('default') ?? '';
				if (!url.startsWith('https://')) {
					this.logger.warn(
						`RevOps Trigger: the webhook URL ${url} is not https. RevOps accepts only https URLs: set N8N_WEBHOOK_URL (WEBHOOK_URL on n8n 1.x) to n8n's public https address.`,
					);
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const httpRequest = this.getRequestObject();
		const contentType = httpRequest.headers['content-type']?.split(';')[0].trim().toLowerCase();
		const request: DeliveryRequest = {
			method: httpRequest.method,
			contentType,
			...(await readBody(httpRequest, contentType)),
			query: httpRequest.query as IDataObject,
			url: httpRequest.originalUrl ?? httpRequest.url,
			signature: httpRequest.headers[SIGNATURE_HEADER],
			clientIp: httpRequest.ip,
			receivedAt: Date.now(),
		};
		const outcome = await handleDelivery(request, nodeParameters(this), async () =>
			verificationKeys(await this.getCredentials<VerificationKeyCredential>(CREDENTIAL_TYPE)),
		);

		if (outcome.kind === 'emit' || outcome.kind === 'ignore') {
			const { verifiedWithKey } = outcome;
			if (verifiedWithKey !== null && verifiedWithKey !== 1)
				logOtherKey(this, verifiedWithKey, request.receivedAt);
		}

		if (outcome.kind === 'emit') {
			return {
				workflowData: [this.helpers.returnJsonArray(outcome.item as unknown as IDataObject)],
			};
		}
		if (outcome.kind === 'ignore') {
			return { webhookResponse: ACKNOWLEDGEMENT_TEXT };
		}
		if (outcome.kind === 'fault') {
			throw new NodeOperationError(this.getNode(), outcome.error, {
				description:
					'The RevOps Trigger could not handle this delivery. If the message does not point to a setting, please report it with the execution log.',
			});
		}
		logRefusal(this, request, outcome, request.receivedAt);
		this.getResponseObject()
			.status(outcome.status)
			.json({ code: outcome.status, message: outcome.message });
		return { noWebhookResponse: true };
	}
}
