/** Questions about a JSON value that the readers ask. */

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RevOps sends "" for values not set yet: like a missing value, it is read as null without a warning. */
export function isUnset(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/** What a value was, for a warning: its JSON type, never its content (it may be long or private). */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return value === '' ? 'an empty string' : 'text in another format';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/** Whether `value` nests objects or arrays deeper than `limit`, walked without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
	const pending: Array<[unknown, number]> = [[value, 1]];
	while (pending.length > 0) {
		const [current, depth] = pending.pop() as [unknown, number];
		if (typeof current !== 'object' || current === null) continue;
		if (depth > limit) return true;
		for (const child of Object.values(current)) pending.push([child, depth + 1]);
	}
	return false;
}
