import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { eventTypeOf, freshEvent, loadSample, sampleNames } from '../../tools/revops/samples';
import { fixtureBytes, FIXTURE_DIR } from '../support/fixtures';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ALL_SAMPLES = [
	'deal-created',
	'deal-updated',
	'deal-signed',
	'deal-active',
	'account-created',
	'account-updated',
	'account-deleted',
	'deal-signed-jpy-body-wrapped',
	'deal-created-unset-fields',
	'deal-created-string-event',
];

/** The parts of a sample these tests read. */
interface ParsedSample {
	event: { id: string };
	body: ParsedSample;
}
const parse = (bytes: Buffer): ParsedSample => JSON.parse(bytes.toString('utf8'));

describe('sampleNames', () => {
	it("lists the catalogue event types in catalogue order, then the samples shaped like RevOps' documentation", () => {
		expect(sampleNames()).toEqual(ALL_SAMPLES);
	});
});

describe('loadSample', () => {
	it.each(ALL_SAMPLES)('returns the exact bytes of test/fixtures/%s.json', (name) => {
		expect(loadSample(name).equals(fixtureBytes(name))).toBe(true);
	});

	it('reads any other argument as a file path', () => {
		const dir = mkdtempSync(join(tmpdir(), 'revops-sample-'));
		try {
			const file = join(dir, 'custom.json');
			writeFileSync(file, '{"event":{"type":"deal-signed"}}');
			expect(loadSample(file).toString('utf8')).toBe('{"event":{"type":"deal-signed"}}');
			expect(
				loadSample(join(FIXTURE_DIR, 'deal-active.json')).equals(fixtureBytes('deal-active')),
			).toBe(true);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a name that is neither a sample nor a file, naming the samples', () => {
		expect(() => loadSample('deal-exploded')).toThrow(
			`no sample or file named "deal-exploded" (samples: ${ALL_SAMPLES.join(', ')})`,
		);
	});
});

describe('freshEvent', () => {
	it('changes only event.id of an event that has one: putting the id back gives the fixture bytes', () => {
		const original = fixtureBytes('deal-signed');
		const fresh = freshEvent(original);
		const id = parse(fresh).event.id;
		expect(id).toMatch(UUID_V4);
		expect(id).not.toBe('6a2b102e-9d80-4863-b3e5-ba867a5ceafd');
		const restored = fresh.toString('utf8').replace(id, '6a2b102e-9d80-4863-b3e5-ba867a5ceafd');
		expect(restored).toBe(original.toString('utf8'));
	});

	it('gives every call a different id', () => {
		const original = fixtureBytes('deal-created');
		const ids = new Set([1, 2, 3].map(() => parse(freshEvent(original)).event.id));
		expect(ids.size).toBe(3);
	});

	it('adds an id, first in event, to an event that had none (the account examples)', () => {
		const original = parse(fixtureBytes('account-created'));
		const fresh = parse(freshEvent(fixtureBytes('account-created')));
		expect(Object.keys(fresh.event)).toEqual(['id', 'time', 'type', 'hash']);
		expect(fresh.event.id).toMatch(UUID_V4);
		const { id: _addedId, ...eventWithoutId } = fresh.event;
		expect({ ...fresh, event: eventWithoutId }).toEqual(original);
	});

	it('renews the event inside the body wrapper and adds nothing at the top level', () => {
		const original = fixtureBytes('deal-signed-jpy-body-wrapped');
		const fresh = freshEvent(original);
		const parsed = parse(fresh);
		expect(Object.keys(parsed)).toEqual(['body']);
		expect(parsed.body.event.id).toMatch(UUID_V4);
		const restored = fresh
			.toString('utf8')
			.replace(parsed.body.event.id, '7184d3fa-cd47-4327-9cac-2f12984bf25f');
		expect(restored).toBe(original.toString('utf8'));
	});

	it('takes the id and time it is given, in place', () => {
		const fresh = freshEvent(fixtureBytes('deal-signed'), {
			id: '00000000-0000-4000-8000-000000000001',
			time: 1800000000,
		});
		const expected = fixtureBytes('deal-signed')
			.toString('utf8')
			.replace('6a2b102e-9d80-4863-b3e5-ba867a5ceafd', '00000000-0000-4000-8000-000000000001')
			.replace('"time": 1715703605', '"time": 1800000000');
		expect(fresh.toString('utf8')).toBe(expected);
	});

	it('with its own id, returns a fixture byte for byte (2-space indent, trailing newline kept)', () => {
		const original = fixtureBytes('deal-active');
		expect(
			freshEvent(original, { id: 'abfec730-2e5b-428c-92bf-ff95563973b4' }).equals(original),
		).toBe(true);
	});

	it('re-serialises compact input with a 2-space indent and no newline added', () => {
		const fresh = freshEvent(Buffer.from('{"deal":{"status":"signed"}}'), { id: 'x' });
		expect(fresh.toString('utf8')).toBe(
			'{\n  "deal": {\n    "status": "signed"\n  },\n  "event": {\n    "id": "x"\n  }\n}',
		);
	});

	it.each([
		['not JSON', '{"event":', /^freshEvent: body is not JSON \(/],
		['an array', '[1,2]', /^freshEvent: body is not a JSON object$/],
	])('refuses a body that is %s', (_label, text, message) => {
		expect(() => freshEvent(Buffer.from(text))).toThrow(message);
	});
});

describe('eventTypeOf', () => {
	it.each([
		['deal-created', 'deal-created', false],
		['deal-updated', 'deal-updated', false],
		['deal-signed', 'deal-signed', false],
		['deal-active', 'deal-active', false],
		['account-created', 'account-created', false],
		['account-updated', 'account-updated', false],
		['account-deleted', 'account-deleted', false],
		['deal-signed-jpy-body-wrapped', 'deal-signed', true],
		['deal-created-string-event', 'deal-created', false],
	])('reads %s as %s (inferred: %s)', (name, type, inferred) => {
		expect(eventTypeOf(fixtureBytes(name))).toEqual({ type, inferred });
	});
});
