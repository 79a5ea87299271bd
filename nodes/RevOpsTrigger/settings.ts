/**
 * The node's settings, and the one check of them. n8n hands a node its parameters as they were
 * saved or as an expression resolved them, so a workflow imported from JSON, created through
 * n8n's API or written by an AI builder can hold anything. `checkSettings` turns them into
 * settings the delivery pipeline can trust, or names the first setting it cannot use. create()
 * runs it when the workflow is published and refuses to publish; the pipeline runs it on every
 * delivery, so a setting that turns bad later (an expression, a node saved by an older release)
 * refuses deliveries with an answer RevOps retries instead of acknowledging events it would drop.
 */
import { ALL_EVENTS, REVOPS_EVENTS } from './events';
import { parseIpAllowlist, type IpAllowlist } from './ip-allowlist';
import { isRecord } from './json-values';

export const AUTHENTICATION = { verificationKey: 'verificationKey', none: 'none' } as const;
export type Authentication = (typeof AUTHENTICATION)[keyof typeof AUTHENTICATION];

export const ACKNOWLEDGE_MODES = {
	whenReceived: 'whenReceived',
	whenWorkflowSucceeds: 'whenWorkflowSucceeds',
} as const;
export type AcknowledgeMode = (typeof ACKNOWLEDGE_MODES)[keyof typeof ACKNOWLEDGE_MODES];

/** The parameters the trigger reads, as n8n resolved them: nothing in them is trusted yet. */
export interface NodeParameters {
	events: unknown;
	authentication: unknown;
	/** Undefined where only the delivery pipeline asks, which does not depend on it. */
	acknowledge?: unknown;
	/** The 'Options' collection. */
	options: unknown;
}

/** Settings that passed the check: what the delivery pipeline runs on. */
export interface TriggerSettings {
	/** Known event types, or `*` alone for every event; never empty. */
	events: readonly string[];
	authentication: Authentication;
	/** The addresses and CIDR ranges allowed to deliver, parsed once here rather than per delivery; absent allows any. */
	ipAllowlist?: IpAllowlist;
	/** Refuse events whose `event.time` is older than this many minutes; 0 or undefined turns the check off. */
	maxEventAgeMinutes?: number;
}

/** A setting the trigger cannot use, in the words the editor shows. */
export interface SettingProblem {
	/** The setting's label in the editor, such as 'Trigger On'. */
	setting: string;
	/** What is wrong with it, quoting the value it holds. */
	problem: string;
	/** What to choose instead. */
	advice: string;
}

export type SettingsCheck =
	| { ok: true; settings: TriggerSettings }
	| { ok: false; problem: SettingProblem };

/** Stands for a parameter whose expression n8n could not resolve, so the check can name it. */
export class UnresolvedParameter {
	constructor(readonly reason: string) {}
}

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
	ALL_EVENTS,
	...REVOPS_EVENTS.map((event) => event.type),
]);

/** How a value is quoted in a problem: short, and one line, because it may have come from an expression. */
function describe(value: unknown): string {
	if (value instanceof UnresolvedParameter)
		return `a value n8n could not resolve (${value.reason.replace(/\s+/g, ' ').slice(0, 120)})`;
	if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
	// Single quotes, as in the editor's messages; escaped like JSON, so it stays on one line.
	if (typeof value === 'string')
		return `the text '${JSON.stringify(value.slice(0, 60)).slice(1, -1)}'`;
	if (typeof value === 'number') return `the number ${value}`;
	if (value === null || value === undefined) return 'empty';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const EVENTS_ADVICE =
	'Select the events that start the workflow, or \'All Events\'. If it is an expression, it must resolve to a list such as ["deal-signed"].';

function checkEvents(value: unknown): SettingProblem | string[] {
	const problem = (text: string) => ({
		setting: 'Trigger On',
		problem: text,
		advice: EVENTS_ADVICE,
	});
	if (!Array.isArray(value) || value.length === 0)
		return problem(
			`'Trigger On' is ${describe(value)}, so no event would start the workflow and each would be acknowledged and lost`,
		);
	// By position, not by value: an unknown entry may itself be undefined.
	const unknown = value.findIndex(
		(type) => typeof type !== 'string' || !KNOWN_EVENT_TYPES.has(type),
	);
	if (unknown >= 0)
		return problem(`'Trigger On' lists ${describe(value[unknown])}, which is not a RevOps event`);
	return value as string[];
}

function checkAuthentication(value: unknown): SettingProblem | Authentication {
	if (value === AUTHENTICATION.verificationKey || value === AUTHENTICATION.none) return value;
	return {
		setting: 'Authentication',
		problem: `'Authentication' is ${describe(value)}, which is not one of its options`,
		advice:
			"Choose 'Verification Key' (or 'None' for trying things out). Until then no delivery is accepted, signed or not.",
	};
}

function checkAcknowledge(value: unknown): SettingProblem | undefined {
	if (
		value === undefined ||
		value === ACKNOWLEDGE_MODES.whenReceived ||
		value === ACKNOWLEDGE_MODES.whenWorkflowSucceeds
	)
		return undefined;
	return {
		setting: 'Acknowledge',
		problem: `'Acknowledge' is ${describe(value)}, which is not one of its options`,
		advice: "Choose 'When Received' or 'When Workflow Succeeds'.",
	};
}

const ALLOWLIST_ADVICE =
	'Use addresses such as 203.0.113.7 or ranges such as 198.51.100.0/24 or 2001:db8::/32, separated by commas, or leave it empty to allow any address.';

function checkIpAllowlist(value: unknown): SettingProblem | IpAllowlist | undefined {
	const problem = (text: string) => ({
		setting: 'IP(s) Allowlist',
		problem: text,
		advice: ALLOWLIST_ADVICE,
	});
	if (value === undefined) return undefined;
	if (typeof value !== 'string')
		return problem(`'IP(s) Allowlist' is ${describe(value)}, not a comma-separated list`);
	const allowlist = parseIpAllowlist(value);
	if (allowlist.invalid.length > 0)
		return problem(
			`'${allowlist.invalid[0].slice(0, 60)}' in 'IP(s) Allowlist' is not an IP address or range`,
		);
	return allowlist;
}

function checkMaxEventAge(value: unknown): SettingProblem | number | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
	return {
		setting: 'Reject Events Older Than (Minutes)',
		problem: `'Reject Events Older Than (Minutes)' is ${describe(value)}, not a whole number of minutes`,
		advice: 'Enter a whole number of minutes, or 0 to turn the age check off.',
	};
}

const isProblem = (value: unknown): value is SettingProblem =>
	isRecord(value) && typeof value.setting === 'string';

/**
 * The settings the pipeline may run on, or the first one it cannot use. Strict on purpose: every
 * accepted value has one meaning (an event filter matches whole names, an age is whole minutes),
 * and anything else is refused rather than guessed at, because a guess can acknowledge an event
 * and then drop it, or switch a check off.
 */
export function checkSettings(parameters: NodeParameters): SettingsCheck {
	const options = parameters.options === undefined ? {} : parameters.options;
	if (!isRecord(options)) {
		return {
			ok: false,
			problem: {
				setting: 'Options',
				problem: `'Options' is ${describe(options)}, not a set of options`,
				advice: 'Remove the expression from Options and set each option on its own.',
			},
		};
	}
	const events = checkEvents(parameters.events);
	const authentication = checkAuthentication(parameters.authentication);
	const acknowledge = checkAcknowledge(parameters.acknowledge);
	const ipAllowlist = checkIpAllowlist(options.ipAllowlist);
	const maxEventAgeMinutes = checkMaxEventAge(options.maxEventAgeMinutes);
	const problem = [events, authentication, acknowledge, ipAllowlist, maxEventAgeMinutes].find(
		isProblem,
	);
	if (problem) return { ok: false, problem };
	return {
		ok: true,
		settings: {
			events: events as string[],
			authentication: authentication as Authentication,
			...(ipAllowlist === undefined ? {} : { ipAllowlist: ipAllowlist as IpAllowlist }),
			...(maxEventAgeMinutes === undefined
				? {}
				: { maxEventAgeMinutes: maxEventAgeMinutes as number }),
		},
	};
}
