import type { IWebhookFunctions } from 'n8n-workflow';

import type { TriggerSettings } from '../../nodes/RevOpsTrigger/settings';
import { recordingResponse, type WebhookRequest } from '../../tools/n8n-core/http';

/** The request, and the node's settings as saved (all events and 'Verification Key' unless given). */
export interface ContextOptions
	extends WebhookRequest,
		Partial<Pick<TriggerSettings, 'events' | 'authentication'>> {
	verificationKey?: string;
	options?: Record<string, unknown>;
}

/**
 * A minimal IWebhookFunctions for fast unit tests of the node's glue. The end-to-end suite
 * runs the same node inside a real n8n.
 */
export function webhookContext(options: ContextOptions) {
	const { res, response } = recordingResponse();
	const warnings: string[] = [];
	const calls = { getCredentials: 0 };
	const request = {
		method: options.method ?? 'POST',
		headers: options.headers ?? {},
		query: options.query ?? {},
		url: options.url ?? '/webhook/abc/webhook',
		originalUrl: options.url ?? '/webhook/abc/webhook',
		rawBody: options.rawBody,
		ip: options.ip ?? '127.0.0.1',
	};
	const parameters: Record<string, unknown> = {
		events: options.events ?? ['*'],
		authentication: options.authentication ?? 'verificationKey',
		options: options.options ?? {},
	};
	const context = {
		getRequestObject: () => request,
		getResponseObject: () => res,
		getNodeParameter: (name: string) => parameters[name],
		getNode: () => ({
			name: 'RevOps Trigger',
			type: 'n8n-nodes-revops.revOpsTrigger',
			typeVersion: 1,
		}),
		getWorkflow: () => ({ id: 'wf-unit', active: true }),
		async getCredentials(type: string) {
			calls.getCredentials += 1;
			if (type !== 'revOpsWebhookApi') throw new Error(`unexpected credential type ${type}`);
			return { verificationSecret: options.verificationKey };
		},
		helpers: {
			returnJsonArray: (data: unknown) => [{ json: data }],
		},
		logger: { warn: (message: string) => warnings.push(message) },
	};
	return { context: context as unknown as IWebhookFunctions, response, calls, warnings };
}
