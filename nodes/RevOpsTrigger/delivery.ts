/**
 * One RevOps delivery from request to outcome, with no n8n in sight: which bytes carry it,
 * whether the signature holds, what the envelope says, and whether the user listens to it.
 */
import { ALL_EVENTS } from './events';
import { isIpAllowed, parseIpAllowlist } from './ip-allowlist';
import { decodeJson, findCarrier, readEnvelope, type DeliveryCarrier, type DeliveryRequest } from './parse';
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
	/** Comma-separated addresses and CIDR ranges allowed to deliver; empty allows any. */
	ipAllowlist?: string;
	/** The sender's address as n8n reports it (after N8N_PROXY_HOPS). */
	clientIp?: string;
	/** Refuse events whose `event.time` is older than this; 0 or undefined turns the check off. */
	maxEventAgeMinutes?: number;
	/** When the request arrived, in milliseconds since the epoch. */
	receivedAt?: number;
}

export type DeliveryOutcome =
	| { kind: 'emit'; item: RevOpsItem }
	| { kind: 'ignore'; eventType: string }
	| { kind: 'reject'; status: number; message: string }
	/** A bug in the trigger, not in the delivery: the node reports it as a node error. */
	| { kind: 'fault'; error: Error };

function checkSender(settings: DeliverySettings): void {
	if (!settings.ipAllowlist?.trim()) return;
	if (!isIpAllowed(parseIpAllowlist(settings.ipAllowlist), settings.clientIp)) {
		throw new DeliveryRejection(403, 'This address is not in the trigger\'s IP allowlist');
	}
}

/** RevOps' signature has no timestamp: an age limit is the only bound on replaying a capture. */
function checkAge(eventTime: string | null, settings: DeliverySettings): void {
	const limit = settings.maxEventAgeMinutes ?? 0;
	if (limit <= 0) return;
	if (eventTime === null) {
		throw new DeliveryRejection(403, 'The event has no "event.time", so its age cannot be checked');
	}
	const ageMs = (settings.receivedAt ?? Date.now()) - Date.parse(eventTime);
	if (ageMs > limit * 60_000) {
		throw new DeliveryRejection(403, `The event is older than the ${limit} minutes this trigger accepts`);
	}
}

/** Turns a thrown refusal into an outcome; anything else is a bug in the trigger. */
function settle<T>(read: () => T): T | Extract<DeliveryOutcome, { kind: 'reject' | 'fault' }> {
	try {
		return read();
	} catch (error) {
		if (error instanceof DeliveryRejection) {
			return { kind: 'reject', status: error.status, message: error.message };
		}
		return { kind: 'fault', error: error instanceof Error ? error : new Error(String(error)) };
	}
}

/**
 * The checks that need no Verification Key: the sender's address and whether the request
 * carries anything. The node runs them before loading the credential, which costs n8n an
 * expression isolate, so refused requests never pay for it.
 */
export function receiveDelivery(
	request: DeliveryRequest,
	settings: DeliverySettings,
): { kind: 'received'; carrier: DeliveryCarrier } | Extract<DeliveryOutcome, { kind: 'reject' | 'fault' }> {
	return settle(() => {
		checkSender(settings);
		return { kind: 'received' as const, carrier: findCarrier(request) };
	});
}

/** The rest: signature, envelope, item, age limit and event filter. */
export function readCarrier(carrier: DeliveryCarrier, settings: DeliverySettings): DeliveryOutcome {
	return settle((): DeliveryOutcome => {
		const key = settings.verificationKey;
		if (key !== undefined && !isValidSignature(key, carrier.bytes, settings.signature)) {
			throw new DeliveryRejection(
				401,
				'The X-RevOps-Content-Hmac signature is missing or does not match the Verification Key',
			);
		}
		const json = carrier.kind === 'query' ? carrier.envelope : decodeJson(carrier.bytes);
		const item = toItem(readEnvelope(json), carrier.bytes, key !== undefined);
		checkAge(item.eventTime, settings);
		const listening = settings.events.includes(ALL_EVENTS) || settings.events.includes(item.eventType);
		return listening ? { kind: 'emit', item } : { kind: 'ignore', eventType: item.eventType };
	});
}

/** One delivery from request to outcome, when the key is already at hand. */
export function handleDelivery(request: DeliveryRequest, settings: DeliverySettings): DeliveryOutcome {
	const received = receiveDelivery(request, settings);
	return received.kind === 'received' ? readCarrier(received.carrier, settings) : received;
}
