/**
 * One RevOps delivery from request to outcome, with no n8n in sight: who sent it, which bytes
 * carry it, whether the signature holds, what the envelope says, and whether the user listens
 * to it. The node's webhook() and the unit tests both run `handleDelivery`.
 */
import { AUTHENTICATION, type TriggerSettings } from './description';
import { ALL_EVENTS } from './events';
import { isIpAllowed, parseIpAllowlist } from './ip-allowlist';
import { toItem } from './normalise';
import {
	decodeJson,
	findCarrier,
	readEnvelope,
	type DeliveryCarrier,
	type DeliveryRequest,
} from './parse';
import { DeliveryRejection } from './rejection';
import { verifyingKeyPosition } from './signature';
import type { RevOpsItem } from './types';
import type { VerificationKey } from './verification-keys';

export const ACKNOWLEDGEMENT_TEXT = 'RevOps API Event Received';

/** Reads the credential's keys. Called only for requests that got as far as the signature check. */
export type LoadVerificationKeys = () => Promise<VerificationKey[]>;

export type DeliveryOutcome =
	| { kind: 'emit'; item: RevOpsItem }
	/** `verifiedWithKey` as on an item, so the glue can tell the operator about old keys for these too. */
	| { kind: 'ignore'; eventType: string; verifiedWithKey: number | null }
	/** `operatorWarning` is for n8n's log: a refusal caused by the node's own settings. */
	| { kind: 'reject'; status: number; message: string; operatorWarning?: string }
	/** A bug in the trigger or a failure of n8n, not a fault of the delivery: the node reports it as a node error. */
	| { kind: 'fault'; error: Error };

export const SIGNATURE_MISMATCH =
	"The X-RevOps-Content-Hmac signature is missing or does not match any of the trigger's Verification Keys";

function checkSender(settings: TriggerSettings, clientIp: string | undefined): void {
	const allowlist = parseIpAllowlist(settings.ipAllowlist ?? '');
	if (!isIpAllowed(allowlist, clientIp)) {
		throw new DeliveryRejection(403, "This address is not in the trigger's IP allowlist");
	}
}

/**
 * Returns the position of the key that verified. Fails closed: with any Authentication but
 * None, a credential without a key refuses every delivery. Only bytes that are then read as
 * JSON can be signed: a bracketed query string is a second grammar, in which a captured signed
 * body could be replayed as another event.
 */
async function checkSignature(
	carrier: DeliveryCarrier,
	signature: DeliveryRequest['signature'],
	loadKeys: LoadVerificationKeys,
): Promise<number> {
	if (carrier.kind === 'query') {
		throw new DeliveryRejection(
			401,
			'A signed GET must carry the JSON envelope in a "payload" query parameter; bracketed query keys are accepted only with Authentication set to None',
		);
	}
	const keys = await loadKeys();
	if (keys.length === 0) {
		throw new DeliveryRejection(
			401,
			'The trigger has no Verification Key, so it cannot verify any delivery',
			{
				operatorWarning:
					'RevOps Trigger: the RevOps Webhook API credential holds no Verification Key, so every delivery is refused with 401. Copy the key from RevOps > Settings > Webhooks into the credential.',
			},
		);
	}
	const position = verifyingKeyPosition(keys, carrier.bytes, signature);
	if (position === null) throw new DeliveryRejection(401, SIGNATURE_MISMATCH);
	return position;
}

/** RevOps' signature has no timestamp: an age limit is the only bound on replaying a capture. */
function checkAge(eventTime: string | null, settings: TriggerSettings, receivedAt: number): void {
	const limit = settings.maxEventAgeMinutes ?? 0;
	if (limit <= 0) return;
	if (eventTime === null) {
		throw new DeliveryRejection(
			403,
			'The event has no usable "event.time", so its age cannot be checked',
		);
	}
	if (receivedAt - Date.parse(eventTime) > limit * 60_000) {
		throw new DeliveryRejection(
			403,
			`The event is older than the ${limit} minutes this trigger accepts`,
		);
	}
}

/**
 * The checks run cheapest first, and the key (which costs n8n an expression isolate to load)
 * only once the sender and the carrier have passed. Unselected events are acknowledged before
 * the item is built and before the age check, so an event the user does not listen to costs no
 * summary, and an old one is not retried for nothing.
 */
export async function handleDelivery(
	request: DeliveryRequest,
	settings: TriggerSettings,
	loadKeys: LoadVerificationKeys,
): Promise<DeliveryOutcome> {
	try {
		checkSender(settings, request.clientIp);
		const carrier = findCarrier(request);
		const verifiedWithKey =
			settings.authentication === AUTHENTICATION.none
				? null
				: await checkSignature(carrier, request.signature, loadKeys);
		const json = carrier.kind === 'query' ? carrier.envelope : decodeJson(carrier.bytes);
		const envelope = readEnvelope(json);
		const listening =
			settings.events.includes(ALL_EVENTS) || settings.events.includes(envelope.eventType);
		// Filtered before the item is built: an event nobody listens to costs no summary.
		if (!listening) return { kind: 'ignore', eventType: envelope.eventType, verifiedWithKey };
		const item = toItem(envelope, carrier, verifiedWithKey);
		checkAge(item.eventTime, settings, request.receivedAt);
		return { kind: 'emit', item };
	} catch (error) {
		if (error instanceof DeliveryRejection) {
			return { kind: 'reject', status: error.status, message: error.message, ...error.details };
		}
		return { kind: 'fault', error: error instanceof Error ? error : new Error(String(error)) };
	}
}
