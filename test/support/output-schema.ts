/**
 * Checks items against the output schema the package ships (docs/output-schema.md), with Ajv:
 * unit tests against the schema generated from the item types, the end-to-end suite against
 * the one a running n8n serves.
 */
import Ajv from 'ajv';

/** A checker that lists why an item does not match the schema; an empty list when it does. */
export function itemChecker(schema: object): (item: unknown) => string[] {
	const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
		schema,
	);
	return (item) => {
		if (validate(item)) return [];
		return (validate.errors ?? []).map(
			(error) => `${error.instancePath || '/'} ${error.message ?? ''} (${error.schemaPath})`,
		);
	};
}

/**
 * The item with its raw objects emptied: `deal`, `account` and `event` hold whatever RevOps
 * sent, so generated input can break their documented types; every other field is the node's own.
 */
export function ownFields(item: Record<string, unknown>): Record<string, unknown> {
	const raw = ['deal', 'account', 'event'].filter((name) => Object.hasOwn(item, name));
	return { ...item, ...Object.fromEntries(raw.map((name) => [name, {}])) };
}
