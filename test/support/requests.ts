import { handleDelivery, type DeliveryOutcome } from '../../nodes/RevOpsTrigger/delivery';
import type { NodeParameters, TriggerSettings } from '../../nodes/RevOpsTrigger/settings';
import type { DeliveryRequest, VerificationKeyCredential } from '../../nodes/RevOpsTrigger/verify';
import { verificationKeys } from '../../nodes/RevOpsTrigger/verify';

type RequestFacts = Partial<
	Pick<DeliveryRequest, 'signature' | 'clientIp' | 'receivedAt' | 'contentType'>
>;

const facts = (overrides: RequestFacts) => ({
	signature: undefined,
	clientIp: '127.0.0.1',
	receivedAt: Date.now(),
	...overrides,
});

export function postRequest(body: Buffer, overrides: RequestFacts = {}): DeliveryRequest {
	return {
		method: 'POST',
		rawBody: body,
		query: {},
		url: '/webhook/id/webhook',
		...facts(overrides),
	};
}

/** A GET as n8n hands it to the node: `query` already parsed, `url` as sent. */
export function getRequest(
	query: Record<string, unknown>,
	queryString: string,
	body?: Buffer,
	overrides: RequestFacts = {},
): DeliveryRequest {
	return {
		method: 'GET',
		rawBody: body,
		query,
		url: `/webhook/id/webhook${queryString ? `?${queryString}` : ''}`,
		...facts(overrides),
	};
}

/** Every event, no signature: what most parsing tests need. */
export const UNSIGNED_ALL: TriggerSettings = { events: ['*'], authentication: 'none' };

/** Settings as a test writes them: the two options beside the rest, any value, checked or not. */
export type SettingsAsWritten = { [Key in keyof TriggerSettings]?: unknown };

/**
 * The production pipeline with the credential at hand: a string is its 'Verification Key', an
 * object its fields; undefined is a credential without any key. The settings reach it as the
 * node's parameters, the two options inside 'Options', so they pass the same check.
 */
export function deliver(
	request: DeliveryRequest,
	settings: SettingsAsWritten = UNSIGNED_ALL,
	credential: string | VerificationKeyCredential = {},
): Promise<DeliveryOutcome> {
	const fields = typeof credential === 'string' ? { verificationSecret: credential } : credential;
	return handleDelivery(request, asNodeParameters(settings), async () => verificationKeys(fields));
}

/** The node's parameters that hold these settings: the two options inside 'Options'. */
export function asNodeParameters(settings: SettingsAsWritten): NodeParameters {
	const { events, authentication, ...options } = settings;
	return { events, authentication, options };
}

export async function emittedItem(
	outcome: Promise<DeliveryOutcome>,
): Promise<Record<string, unknown>> {
	const settled = await outcome;
	if (settled.kind !== 'emit') throw new Error(`expected an item, got ${JSON.stringify(settled)}`);
	return settled.item as unknown as Record<string, unknown>;
}
