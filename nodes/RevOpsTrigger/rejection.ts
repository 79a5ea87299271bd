/**
 * A delivery the trigger refuses. Thrown by the pure readers and validators, turned into a
 * 4xx JSON answer (and no execution) by the delivery handler, so a sender never sees a 5xx.
 */
export class DeliveryRejection extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 413 | 415,
		message: string,
		/** For n8n's log, when the cause is the node's own settings rather than the delivery. */
		readonly details: { operatorWarning?: string } = {},
	) {
		super(message);
		this.name = 'DeliveryRejection';
	}
}

export function rejectInput(message: string): never {
	throw new DeliveryRejection(400, message);
}
