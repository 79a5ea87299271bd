/**
 * Warnings travel with the item: a field the trigger only summarises and could not read is
 * named here instead of making the trigger refuse a delivery RevOps would then lose.
 */
export type Warnings = string[];

/** What a value was, for a warning: its JSON type, never its content (it may be long or private). */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return value === '' ? 'an empty string' : 'text in another format';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}
