/**
 * What n8n's log says about a delivery the trigger refused (401, 403, 4xx): the reason, the
 * sender's address and, when the delivery names a known one, the event type it claims (a
 * refused delivery is not trusted, so the type is only what it says of itself); never the body
 * or the key. A flood of bad requests must not flood the log, so each trigger logs the first
 * refusals of a window one by one and only counts the rest; the count goes out with the first
 * refusal after the window, so a sustained flood costs a few lines a minute.
 */
import { eventBlockOf, unwrapBody } from './envelope';
import { REVOPS_EVENTS } from './events';
import { isRecord } from './json-values';
import { findCarrier, keyLabel, type DeliveryRequest } from './verify';

export const REJECTION_LOG_WINDOW_MS = 60_000;
/** Refusals per trigger and window logged one by one; the rest are counted. */
export const REJECTION_LOG_BURST = 5;
/** Triggers tracked per server; the least recently started window is dropped beyond it. */
const MAX_TRACKED_TRIGGERS = 1000;
const MAX_REASON_LENGTH = 300;
/** Larger refused bodies are not parsed to name their type: a flood of big unsigned bodies costs no JSON parsing. */
export const MAX_PARSED_REFUSED_BYTES = 64 * 1024;

export interface RefusedDelivery {
	status: number;
	reason: string;
	/** The sender's address as n8n reports it. */
	sender: string | undefined;
	/** Which trigger refused it: workflow and node. */
	workflowId: string | undefined;
	nodeName: string;
}

interface Window {
	startedAt: number;
	logged: number;
	suppressed: number;
}

export interface RejectionWarning {
	message: string;
	/** The same facts as separate fields, for log pipelines that index them. */
	meta: Record<string, string | number>;
}

/**
 * Counts refusals per trigger. One lives per n8n HTTP server, in its Express app (`admitOnServer`
 * below), never in module memory; it holds no delivery data, only counters and times.
 */
export class RejectionLogLimiter {
	private readonly windows = new Map<string, Window>();

	/**
	 * Whether this refusal is logged, and how many of the same trigger's went unlogged in the
	 * window that just ended.
	 */
	admit(
		trigger: string,
		now: number,
	): { log: boolean; suppressedBefore: number; lastOfBurst: boolean } {
		let window = this.windows.get(trigger);
		let suppressedBefore = 0;
		if (
			window === undefined ||
			now - window.startedAt >= REJECTION_LOG_WINDOW_MS ||
			now < window.startedAt
		) {
			suppressedBefore = window?.suppressed ?? 0;
			this.windows.delete(trigger);
			window = { startedAt: now, logged: 0, suppressed: 0 };
			this.windows.set(trigger, window);
			if (this.windows.size > MAX_TRACKED_TRIGGERS)
				this.windows.delete(this.windows.keys().next().value as string);
		}
		if (window.logged >= REJECTION_LOG_BURST) {
			window.suppressed += 1;
			return { log: false, suppressedBefore: 0, lastOfBurst: false };
		}
		window.logged += 1;
		return { log: true, suppressedBefore, lastOfBurst: window.logged === REJECTION_LOG_BURST };
	}
}

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(REVOPS_EVENTS.map((event) => event.type));

/**
 * The event type a refused delivery claims, when it is one RevOps documents, read from the same
 * carriers the trigger reads (body, `payload`/`body`/`data` GET parameters, bracketed query
 * keys; `event` as an object or a bare type, with or without the `body` wrapper). Anything else
 * is undefined, so a sender cannot write arbitrary text into the log through it. Called only for
 * refusals that get logged, so a flood is not parsed again and again.
 */
export function claimedEventType(request: DeliveryRequest): string | undefined {
	try {
		const carrier = findCarrier(request);
		if (carrier.kind === 'json' && carrier.bytes.length > MAX_PARSED_REFUSED_BYTES)
			return undefined;
		const json: unknown =
			carrier.kind === 'query' ? carrier.envelope : JSON.parse(carrier.bytes.toString('utf8'));
		if (!isRecord(json)) return undefined;
		const type = eventBlockOf(unwrapBody(json).event)?.type;
		return typeof type === 'string' && KNOWN_EVENT_TYPES.has(type) ? type : undefined;
	} catch {
		return undefined;
	}
}

/** An address as n8n reports it, or "unknown" for anything that is not one. */
function safeAddress(address: string | undefined): string {
	return address !== undefined && /^[0-9A-Fa-f:.]{2,45}$/.test(address) ? address : 'unknown';
}

/** The reason is the trigger's own text, but field names in it come from the delivery. */
function safeReason(reason: string): string {
	const printable = reason.replace(/[^\x20-\x7E]/g, '?');
	return printable.length > MAX_REASON_LENGTH
		? `${printable.slice(0, MAX_REASON_LENGTH)}...`
		: printable;
}

export function rejectionWarning(
	refused: RefusedDelivery,
	eventType: string | undefined,
	admitted: { suppressedBefore: number; lastOfBurst: boolean },
): RejectionWarning {
	const sender = safeAddress(refused.sender);
	const reason = safeReason(refused.reason);
	const parts = [
		`RevOps Trigger "${safeReason(refused.nodeName)}" (workflow ${safeReason(refused.workflowId ?? 'unknown')}) refused a delivery`,
		`from ${sender}${eventType === undefined ? '' : ` (claims event ${eventType})`} with ${refused.status}: ${reason}`,
	];
	let message = parts.join(' ');
	if (admitted.suppressedBefore > 0) {
		message += ` [${admitted.suppressedBefore} more refusals in the previous ${REJECTION_LOG_WINDOW_MS / 1000} s were counted, not logged]`;
	}
	if (admitted.lastOfBurst) {
		message += ` [further refusals by this trigger in the next ${REJECTION_LOG_WINDOW_MS / 1000} s are counted, not logged]`;
	}
	return {
		message,
		meta: {
			status: refused.status,
			sender,
			claimedEventType: eventType ?? 'unknown',
			workflowId: refused.workflowId ?? 'unknown',
			node: refused.nodeName,
			suppressedBefore: admitted.suppressedBefore,
		},
	};
}

/** Where the limiter of one n8n HTTP server lives: its Express app's `locals`, made for app-wide state. */
const LIMITER_SLOT = 'n8nNodesRevOpsRejectionLog';

interface RefusalContext {
	getRequestObject(): { app?: { locals?: Record<string, unknown> } };
	getNode(): { name: string };
	getWorkflow(): { id?: string };
	logger: { warn(message: string, meta?: Record<string, unknown>): void };
}

/**
 * Asks the limiter of the server that received the request whether this line of `kind` for this
 * trigger is logged. Without an Express app to keep the counters on (unit tests), every line is.
 */
function admitOnServer(context: RefusalContext, kind: string, now: number) {
	const locals = context.getRequestObject().app?.locals;
	let limiter = locals?.[LIMITER_SLOT];
	if (locals !== undefined && !(limiter instanceof RejectionLogLimiter)) {
		limiter = new RejectionLogLimiter();
		locals[LIMITER_SLOT] = limiter;
	}
	return limiter instanceof RejectionLogLimiter
		? limiter.admit(
				`${kind}\u0000${context.getWorkflow().id ?? ''}\u0000${context.getNode().name}`,
				now,
			)
		: { log: true, suppressedBefore: 0, lastOfBurst: false };
}

/**
 * Logs a refused delivery through n8n's logger, within the limits above, followed by the
 * delivery pipeline's advice to the operator when it has some. Without an Express
 * app to keep the counters on (unit tests), every refusal is logged.
 */
export function logRefusal(
	context: RefusalContext,
	request: DeliveryRequest,
	refusal: { status: number; message: string; operatorWarning?: string },
	now: number,
): void {
	const refused: RefusedDelivery = {
		status: refusal.status,
		reason: refusal.message,
		sender: request.clientIp,
		workflowId: context.getWorkflow().id,
		nodeName: context.getNode().name,
	};
	const admitted = admitOnServer(context, 'refused', now);
	if (!admitted.log) return;
	const warning = rejectionWarning(refused, claimedEventType(request), admitted);
	context.logger.warn(warning.message, warning.meta);
	// A refusal caused by the trigger's own settings repeats on every delivery: limited the same way.
	if (refusal.operatorWarning) context.logger.warn(refusal.operatorWarning);
}

/**
 * Tells the operator that a delivery verified with a key other than the credential's first,
 * limited like refusals: while these lines appear, a rotation cannot be finished by removing
 * that key. Names the key's position, never the key.
 */
export function logOtherKey(context: RefusalContext, position: number, now: number): void {
	const admitted = admitOnServer(context, 'other key', now);
	if (!admitted.log) return;
	const trigger = `RevOps Trigger "${safeReason(context.getNode().name)}" (workflow ${safeReason(context.getWorkflow().id ?? 'unknown')})`;
	let message =
		`${trigger} accepted a delivery signed with '${keyLabel(position)}' of its credential, not with 'Verification Key'. ` +
		'If you are rotating keys, RevOps still signs with this one: keep it until these lines stop. If it is the key of another RevOps webhook, this is expected.';
	if (admitted.suppressedBefore > 0)
		message += ` [${admitted.suppressedBefore} more in the previous ${REJECTION_LOG_WINDOW_MS / 1000} s were counted, not logged]`;
	context.logger.warn(message, {
		verifiedWithKey: position,
		workflowId: context.getWorkflow().id ?? 'unknown',
		node: context.getNode().name,
	});
}
