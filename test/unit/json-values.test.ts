import { nestsDeeperThan } from '../../nodes/RevOpsTrigger/json-values';

/** `depth` levels of objects and lists in turn: `{}` is one level, `{"a":[]}` two. */
function nested(depth: number): unknown {
	let value: unknown = {};
	for (let level = 2; level <= depth; level += 1) value = level % 2 ? { a: value } : [value];
	return value;
}

describe('nestsDeeperThan', () => {
	it('counts objects and lists, and stops at the limit', () => {
		expect(nestsDeeperThan(nested(3), 3)).toBe(false);
		expect(nestsDeeperThan(nested(4), 3)).toBe(true);
	});

	it('counts no level for a value that is neither', () => {
		expect(nestsDeeperThan('text', 0)).toBe(false);
		expect(nestsDeeperThan({ a: 1, b: 'x', c: null }, 1)).toBe(false);
	});

	it('walks a value far deeper than the call stack allows without overflowing', () => {
		expect(nestsDeeperThan(nested(200_000), 64)).toBe(true);
	});
});
