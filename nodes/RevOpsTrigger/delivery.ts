/**
 * One RevOps delivery from request to outcome, with no n8n in sight: which bytes carry it,
 * whether the signature holds, what the envelope says, and whether the user listens to it.
 */
import { ALL_EVENTS } from './events';
import { decodeJson, findCarrier, readEnvelope, type DeliveryRequest } from './parse';
import { DeliveryRejection } from './rejection';
import { isValidSignature } from './signature';
import { toItem } from './normalise';
import type { RevOpsItem } from './types';

export const ACKNOWLEDGEMENT = 'RevOps API Event Received';

export interface DeliverySettings {
	/** Selected event types; `*` selects every event. */
	events: string[];
	/** The webhook's Verification Key, or undefined when authentication is off. */
	verificationKey: string | undefined;
	/** The signature header as received. */
	signature: string | string[] | undefined;
}

export type DeliveryOutcome =
	| { kind: 'emit'; item: RevOpsItem }
	| { kind: 'ignore'; eventType: string }
	| { kind: 'reject'; status: number; message: string }
	/** A bug in the trigger, not in the delivery: the node reports it as a node error. */
	| { kind: 'fault'; error: Error };

function readDelivery(request: DeliveryRequest, settings: DeliverySettings): DeliveryOutcome {
	const carrier = findCarrier(request);
	const mustVerify = settings.verificationKey !== undefined;
	if (mustVerify && !isValidSignature(settings.verificationKey as string, carrier.bytes, settings.signature)) {
		throw new DeliveryRejection(
			401,
			'The X-RevOps-Content-Hmac signature is missing or does not match the Verification Key',
		);
	}
	const json = carrier.kind === 'query' ? carrier.envelope : decodeJson(carrier.bytes);
	const item = toItem(readEnvelope(json), carrier.bytes, mustVerify);
	const listening = settings.events.includes(ALL_EVENTS) || settings.events.includes(item.eventType);
	return listening ? { kind: 'emit', item } : { kind: 'ignore', eventType: item.eventType };
}

export function handleDelivery(request: DeliveryRequest, settings: DeliverySettings): DeliveryOutcome {
	try {
		return readDelivery(request, settings);
	} catch (error) {
		if (error instanceof DeliveryRejection) {
			return { kind: 'reject', status: error.status, message: error.message };
		}
		return { kind: 'fault', error: error instanceof Error ? error : new Error(String(error)) };
	}
}
