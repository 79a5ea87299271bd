/**
 * One RevOps delivery from request to outcome, with no n8n in sight: verify who sent which
 * bytes, then receive the event they carry. Every refusal is the reader's (reader.ts); this
 * file puts its steps in order, acknowledges events the user does not listen to, and turns a
 * refusal into the answer the sender gets. The node's webhook() and the unit tests both run
 * `handleDelivery`.
 */
import type { TriggerSettings } from './description';
import { ALL_EVENTS } from './events';
import { toItem } from './normalise';
import {
	checkAge,
	DeliveryRejection,
	readDelivery,
	verifyDelivery,
	type DeliveryRequest,
	type LoadVerificationKeys,
	type VerifiedDelivery,
} from './reader';
import type { RevOpsItem } from './types';

export const ACKNOWLEDGEMENT_TEXT = 'RevOps API Event Received';

export type DeliveryOutcome =
	| { kind: 'emit'; item: RevOpsItem }
	/** `verifiedWithKey` as on an item, so the glue can tell the operator about old keys for these too. */
	| { kind: 'ignore'; eventType: string; verifiedWithKey: number | null }
	/** `operatorWarning` is for n8n's log: a refusal caused by the node's own settings. */
	| { kind: 'reject'; status: number; message: string; operatorWarning?: string }
	/** A bug in the trigger or a failure of n8n, not a fault of the delivery: the node reports it as a node error. */
	| { kind: 'fault'; error: Error };

/**
 * A verified delivery's event. Unselected events are acknowledged before the age check and
 * before the item is built, so an event the user does not listen to costs no summary, and an
 * old one is not retried for nothing.
 */
function receive(
	{ carrier, verifiedWithKey }: VerifiedDelivery,
	settings: TriggerSettings,
	receivedAt: number,
): DeliveryOutcome {
	const envelope = readDelivery(carrier);
	const { eventType } = envelope;
	if (!settings.events.includes(ALL_EVENTS) && !settings.events.includes(eventType))
		return { kind: 'ignore', eventType, verifiedWithKey };
	checkAge(envelope.eventTime, settings, receivedAt);
	return { kind: 'emit', item: toItem(envelope, carrier, verifiedWithKey) };
}

export async function handleDelivery(
	request: DeliveryRequest,
	settings: TriggerSettings,
	loadKeys: LoadVerificationKeys,
): Promise<DeliveryOutcome> {
	try {
		const verified = await verifyDelivery(request, settings, loadKeys);
		return receive(verified, settings, request.receivedAt);
	} catch (error) {
		if (error instanceof DeliveryRejection) {
			return { kind: 'reject', status: error.status, message: error.message, ...error.details };
		}
		return { kind: 'fault', error: error instanceof Error ? error : new Error(String(error)) };
	}
}
