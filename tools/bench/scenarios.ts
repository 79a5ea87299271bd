/**
 * What the bench sends and what every answer must be. One signed fixture per scenario, the
 * same bytes to every target, so the targets differ only in what runs on the server.
 */
import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import { loadSample } from '../revops/samples';
import { signBody } from '../revops/sign';

/** The one event type every filtering target listens to. */
export const SELECTED_EVENT = 'deal-signed';
/** The key the bench's credential, DIY Code node and floor share. */
export const BENCH_KEY = 'revops-bench-verification-key';

export type ScenarioName = 'emitted' | 'filtered' | 'forged';
export const SCENARIOS: readonly ScenarioName[] = ['emitted', 'filtered', 'forged'];

export type TargetName = 'A' | 'B' | 'C' | 'D' | 'F' | 'K' | 'N';
export const TARGETS: readonly TargetName[] = ['A', 'B', 'C', 'F'];
/**
 * N: the RevOps Trigger with Authentication None, sent only filtered events. It filters
 * without loading the Verification Key, so it costs what a filter placed before the
 * signature check would cost.
 */
export const FILTER_PROBE: TargetName = 'N';
/**
 * K: the RevOps Trigger whose credential holds two keys, the bench's key second, sent emitted
 * and forged events: each costs it two HMACs, against one for C.
 */
export const TWO_KEY_PROBE: TargetName = 'K';
/** D: the RevOps Trigger at node version 1.1 (C is version 1), sent every request kind. */
export const VERSION_PROBE: TargetName = 'D';
/** The side targets and the only request kinds they get; every other target gets every kind. */
export const PROBE_SCENARIOS: Partial<Record<TargetName, readonly ScenarioName[]>> = {
	[FILTER_PROBE]: ['filtered'],
	[TWO_KEY_PROBE]: ['emitted', 'forged'],
	[VERSION_PROBE]: SCENARIOS,
};
export const TARGET_LABELS: Record<TargetName, string> = {
	A: 'A: DIY (Webhook + Code + IF + Respond to Webhook)',
	B: 'B: Webhook → No-Op',
	C: 'C: RevOps Trigger, node version 1 → No-Op',
	D: 'D: RevOps Trigger, node version 1.1 → No-Op',
	F: 'F: node:http floor (HMAC + JSON.parse)',
	K: 'K: RevOps Trigger with two Verification Keys, signed with the second → No-Op',
	N: 'N: RevOps Trigger without authentication → No-Op',
};

export interface Scenario {
	name: ScenarioName;
	body: Buffer;
	headers: Record<string, string>;
}

export function scenario(name: ScenarioName): Scenario {
	const body = loadSample(name === 'filtered' ? 'account-updated' : SELECTED_EVENT);
	const signature = name === 'forged' ? '0'.repeat(64) : signBody(BENCH_KEY, body);
	return {
		name,
		body,
		headers: { 'content-type': 'application/json', 'x-revops-content-hmac': signature },
	};
}

export interface ExpectedAnswer {
	status: number;
	/** Text the body must contain. */
	bodyContains: string;
	/** Executions one request starts. */
	executions: 0 | 1;
}

/**
 * B checks nothing and answers every request the same; the others refuse the forged request
 * with 401 and acknowledge the rest. Only C and F skip the execution for what they do not run.
 */
export function expectedAnswer(target: TargetName, name: ScenarioName): ExpectedAnswer {
	if (target === 'B') return { status: 200, bodyContains: 'Workflow was started', executions: 1 };
	if (name === 'forged')
		return { status: 401, bodyContains: '"code":401', executions: target === 'A' ? 1 : 0 };
	const runs =
		target === 'A' || (['C', TWO_KEY_PROBE, VERSION_PROBE].includes(target) && name === 'emitted');
	return { status: 200, bodyContains: ACKNOWLEDGEMENT_TEXT, executions: runs ? 1 : 0 };
}
