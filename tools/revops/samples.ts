/**
 * Sample RevOps deliveries: the fixtures in test/fixtures, looked up by name, and
 * fresh copies of them so that repeated sends are distinct events.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { unwrapBody, readEnvelope } from '../../nodes/RevOpsTrigger/envelope';
import { DeliveryRejection } from '../../nodes/RevOpsTrigger/verify';
import { isRecord as isObject } from '../../nodes/RevOpsTrigger/json-values';

/** Resolved from this file, not the working directory, so `npm run revops` works from anywhere. */
export const FIXTURES_DIR = resolve(__dirname, '../../test/fixtures');

/**
 * Fixtures not named after an event type, in the shapes RevOps' documentation shows: the `body`
 * wrapper with no event.type (JPY), "" for every value not set yet, and the curl example's
 * bare-string event.
 */
const EXTRA_SAMPLES = [
	'deal-signed-jpy-body-wrapped',
	'deal-created-unset-fields',
	'deal-created-string-event',
] as const;

function fixturePath(name: string): string {
	return join(FIXTURES_DIR, `${name}.json`);
}

/** Catalogue event types that have a fixture (in catalogue order), then the extra samples. */
export function sampleNames(): string[] {
	const eventTypes = REVOPS_EVENTS.map((event) => event.type as string).filter((type) =>
		existsSync(fixturePath(type)),
	);
	return [...eventTypes, ...EXTRA_SAMPLES];
}

/**
 * The exact bytes of a sample (by name) or of a file (by path). Sample names win over a
 * file of the same name in the working directory. The bytes are never re-serialised:
 * signatures are computed over them, so one changed byte would change the test.
 */
export function loadSample(nameOrPath: string): Buffer {
	if (sampleNames().includes(nameOrPath)) return readFileSync(fixturePath(nameOrPath));
	if (existsSync(nameOrPath)) return readFileSync(nameOrPath);
	throw new Error(`no sample or file named "${nameOrPath}" (samples: ${sampleNames().join(', ')})`);
}

type JsonObject = Record<string, unknown>;

function parseObject(body: Buffer, caller: string): JsonObject {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch (error) {
		throw new Error(`${caller}: body is not JSON (${(error as Error).message})`);
	}
	if (!isObject(parsed)) throw new Error(`${caller}: body is not a JSON object`);
	return parsed;
}

/**
 * The same envelope as a new event: a new event.id (and event.time when given), everything
 * else untouched. RevOps retries send identical bytes, so the node dedupes on them; a test
 * that means "another event" must change the id. Re-serialised with a 2-space indent like
 * the fixtures (and the trailing newline kept or not, as in the input), so a fixture whose
 * id is put back comes out byte for byte. An existing id keeps its place in `event`; a
 * missing one is put first, where RevOps' examples have it.
 */
export function freshEvent(body: Buffer, overrides: { id?: string; time?: number } = {}): Buffer {
	const parsed = parseObject(body, 'freshEvent');
	const envelope = unwrapBody(parsed);
	const event = isObject(envelope.event) ? envelope.event : {};
	const id = overrides.id ?? randomUUID();
	const renewed: JsonObject = 'id' in event ? { ...event, id } : { id, ...event };
	if (overrides.time !== undefined) renewed.time = overrides.time;
	envelope.event = renewed;
	const trailingNewline = body.toString('utf8').endsWith('\n') ? '\n' : '';
	return Buffer.from(JSON.stringify(parsed, null, 2) + trailingNewline, 'utf8');
}

/**
 * The event type a delivery carries, or the one the node infers when event.type is missing:
 * read with the node's own envelope and event-type rules, so `list` and the node never disagree.
 */
export function eventTypeOf(body: Buffer): { type: string | null; inferred: boolean } {
	const parsed = parseObject(body, 'eventTypeOf');
	try {
		const { eventType, eventTypeInferred } = readEnvelope(parsed);
		return { type: eventType, inferred: eventTypeInferred };
	} catch (error) {
		if (error instanceof DeliveryRejection) return { type: null, inferred: false };
		throw error;
	}
}
