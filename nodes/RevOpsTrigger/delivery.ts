/**
 * One RevOps delivery from request to outcome, with no n8n in sight: check the node's settings,
 * verify who sent which bytes, then receive the event they carry. Every refusal of a delivery is
 * the reader's (reader.ts) and every refusal of a setting is settings.ts's; this file puts the
 * steps in order, acknowledges events the user does not listen to, and turns a refusal into the
 * answer the sender gets. The node's webhook() and the unit tests both run `handleDelivery`.
 */
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
import { checkSettings, type NodeParameters, type TriggerSettings } from './settings';
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

/**
 * A delivery the trigger cannot judge because a setting is unusable: not 200, which would promise
 * a run that the setting cannot give, and not a 5xx; 409 says the trigger is in a state that
 * conflicts with the request, and RevOps delivers it again once an hour, five times. The sender
 * learns which setting, not its value; n8n's log gets the whole problem.
 */
export const UNUSABLE_SETTING_STATUS = 409;

export async function handleDelivery(
	request: DeliveryRequest,
	parameters: NodeParameters,
	loadKeys: LoadVerificationKeys,
): Promise<DeliveryOutcome> {
	const checked = checkSettings(parameters);
	if (!checked.ok) {
		const { setting, problem, advice } = checked.problem;
		return {
			kind: 'reject',
			status: UNUSABLE_SETTING_STATUS,
			message: `The trigger's '${setting}' setting is not usable, so it accepts no delivery until the setting is fixed`,
			operatorWarning: `RevOps Trigger: ${problem}. ${advice} Deliveries are refused with ${UNUSABLE_SETTING_STATUS} until then, and RevOps delivers them again.`,
		};
	}
	const { settings } = checked;
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
