/**
 * One RevOps delivery from request to outcome, with no n8n in sight, in the order it travels:
 * the node's settings (settings.ts), who sent which bytes (verify.ts), the envelope they hold
 * (envelope.ts), the event filter and the age check (here), then the item (item.ts). A step
 * that refuses throws a DeliveryRejection; this file turns it into the answer the sender gets.
 * The node's webhook() and the unit tests both run `handleDelivery`.
 */
import { ALL_EVENTS } from './events';
import { readDelivery } from './envelope';
import { toItem } from './item';
import { checkSettings, type NodeParameters, type TriggerSettings } from './settings';
import type { RevOpsItem } from './types';
import {
	DeliveryRejection,
	verifyDelivery,
	type DeliveryRequest,
	type LoadVerificationKeys,
} from './verify';

export type DeliveryOutcome =
	/** `verifiedWithKey` as on the item, for the glue's note about a key other than the first. */
	| { kind: 'emit'; item: RevOpsItem; verifiedWithKey: number | null }
	| { kind: 'ignore'; eventType: string; verifiedWithKey: number | null }
	/** `operatorWarning` is for n8n's log: a refusal caused by the node's own settings or credential. */
	| { kind: 'reject'; status: number; message: string; operatorWarning?: string }
	/** A bug in the trigger or a failure of n8n, not a fault of the delivery: the node reports it as a node error. */
	| { kind: 'fault'; error: Error };

/**
 * A delivery the trigger cannot judge because a setting is unusable: not 200, which would promise
 * a run that the setting cannot give, and not a 5xx; 409 says the trigger is in a state that
 * conflicts with the request, and RevOps delivers it again once an hour, five times. The sender
 * learns which setting, not its value; n8n's log gets the whole problem.
 */
export const UNUSABLE_SETTING_STATUS = 409;

function usableSettings(parameters: NodeParameters): TriggerSettings {
	const checked = checkSettings(parameters);
	if (checked.ok) return checked.settings;
	const { setting, problem, advice } = checked.problem;
	throw new DeliveryRejection(
		UNUSABLE_SETTING_STATUS,
		`The trigger's '${setting}' setting is not usable, so it accepts no delivery until the setting is fixed`,
		{
			operatorWarning: `RevOps Trigger: ${problem}. ${advice} Deliveries are refused with ${UNUSABLE_SETTING_STATUS} until then, and RevOps delivers them again.`,
		},
	);
}

/** RevOps' signature has no timestamp: an age limit is the only bound on replaying a capture. */
export function checkAge(
	eventTime: string | null,
	settings: TriggerSettings,
	receivedAt: number,
): void {
	const limit = settings.maxEventAgeMinutes ?? 0;
	if (limit === 0) return;
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

export async function handleDelivery(
	request: DeliveryRequest,
	parameters: NodeParameters,
	loadKeys: LoadVerificationKeys,
): Promise<DeliveryOutcome> {
	try {
		const settings = usableSettings(parameters);
		const { carrier, verifiedWithKey } = await verifyDelivery(request, settings, loadKeys);
		const envelope = readDelivery(carrier);
		const { eventType } = envelope;
		// Unselected events are acknowledged before the age check and before the item is built, so
		// an event the user does not listen to costs no summary, and an old one is not retried for nothing.
		if (!settings.events.includes(ALL_EVENTS) && !settings.events.includes(eventType))
			return { kind: 'ignore', eventType, verifiedWithKey };
		checkAge(envelope.eventTime, settings, request.receivedAt);
		return { kind: 'emit', item: toItem(envelope, carrier, verifiedWithKey), verifiedWithKey };
	} catch (error) {
		if (error instanceof DeliveryRejection) {
			return { kind: 'reject', status: error.status, message: error.message, ...error.details };
		}
		return { kind: 'fault', error: error instanceof Error ? error : new Error(String(error)) };
	}
}
