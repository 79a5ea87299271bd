/**
 * The JSON Schema of the trigger's items, generated from the item types in
 * nodes/RevOpsTrigger/types.ts (their doc comments become descriptions). docs/output-schema.md
 * explains the shape of the document.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';
import { createGenerator } from 'ts-json-schema-generator';

import { RevOpsTrigger } from '../../nodes/RevOpsTrigger/RevOpsTrigger.node';

export type JsonSchema = { [keyword: string]: unknown };

const ROOT = join(__dirname, '..', '..');
const TYPES_FILE = join(ROOT, 'nodes', 'RevOpsTrigger', 'types.ts');

/** The package's one node as package.json names it, and every version it declares. */
export const NODE_FILE: string = (
	JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }
).n8n.nodes[0];
export function nodeVersions(): number[] {
	const { version } = new RevOpsTrigger().description;
	return Array.isArray(version) ? version : [version];
}

const isObject = (value: unknown): value is JsonSchema =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const isTypeOnly = (schema: JsonSchema) =>
	Object.keys(schema).every((key) => key === 'type' || key === 'description');

/**
 * The generator's `anyOf` for a value that may be null or of several plain types, as one
 * `type` list: the same set of values, in the form n8n's editor reads (it ignores `anyOf`).
 * `anyOf: [X, { type: 'null' }]` becomes X with `null` added to its `type`; the property's
 * description comes first, then the type's.
 */
function simplify(schema: unknown): unknown {
	if (Array.isArray(schema)) return schema.map(simplify);
	if (!isObject(schema)) return schema;
	const out: JsonSchema = {};
	for (const [key, value] of Object.entries(schema)) out[key] = simplify(value);
	const anyOf = out.anyOf as JsonSchema[] | undefined;
	if (!Array.isArray(anyOf)) return out;
	const rest = { ...out };
	delete rest.anyOf;
	const types = (member: JsonSchema) => [member.type].flat();
	if (anyOf.every(isTypeOnly) && anyOf.every((member) => member.type !== undefined)) {
		return { type: [...new Set(anyOf.flatMap(types))], ...rest };
	}
	const [value, nullable] = anyOf;
	if (anyOf.length === 2 && isDeepStrictEqual(nullable, { type: 'null' }) && value.type) {
		const descriptions = [out.description, value.description].filter(Boolean);
		return {
			...value,
			...rest,
			type: [...types(value), 'null'],
			description: descriptions.length > 0 ? descriptions.join(' ') : undefined,
		};
	}
	return out;
}

function generated(): JsonSchema[] {
	const generator = createGenerator({
		path: TYPES_FILE,
		tsconfig: join(ROOT, 'tsconfig.json'),
		type: 'RevOpsItem',
		expose: 'none',
		topRef: false,
		jsDoc: 'extended',
		additionalProperties: false,
		skipTypeCheck: true,
	});
	const { anyOf } = simplify(generator.createSchema('RevOpsItem')) as JsonSchema;
	if (!Array.isArray(anyOf) || anyOf.length !== 2) {
		throw new Error('RevOpsItem is expected to be the union of the deal and the account item');
	}
	return anyOf as JsonSchema[];
}

function objectTypeOf(shape: JsonSchema): string {
	const objectType = (shape.properties as Record<string, JsonSchema>).objectType.const;
	if (typeof objectType !== 'string')
		throw new Error('an item shape without a constant objectType');
	return objectType;
}

const withoutDescription = (schema: JsonSchema): JsonSchema => {
	const rest = { ...schema };
	delete rest.description;
	return rest;
};

/**
 * One field as every shape that has it describes it: one type, and one description, or each
 * shape's own when they differ (`accountId` is `deal.account_id` in one, `account.account_id`
 * in the other). A field of one shape says so.
 */
function field(
	name: string,
	inShapes: Array<[objectType: string, schema: JsonSchema]>,
	all: number,
) {
	const [[firstType, first], ...others] = inShapes;
	for (const [objectType, schema] of others) {
		if (!isDeepStrictEqual(withoutDescription(first), withoutDescription(schema))) {
			throw new Error(
				`'${name}' has another type in ${objectType} items than in ${firstType} items`,
			);
		}
	}
	const descriptions = new Set(inShapes.map(([, schema]) => schema.description));
	const description =
		descriptions.size === 1
			? first.description
			: inShapes
					.map(([objectType, schema]) => `In ${objectType} items: ${String(schema.description)}`)
					.join(' ');
	const only = inShapes.length < all ? `Only in ${firstType} items.` : undefined;
	return {
		...first,
		description: [description, only].filter((text) => text !== undefined).join(' ') || undefined,
	};
}

/**
 * The editor reads only a top-level `type` and `properties`, so every field of both shapes is
 * listed there; `oneOf` holds the two exact shapes, which is what a validator checks.
 */
export function outputSchema(): JsonSchema {
	const shapes = generated();
	const objectTypes = shapes.map(objectTypeOf);
	const byName = new Map<string, Array<[string, JsonSchema]>>();
	for (const shape of shapes) {
		for (const [name, schema] of Object.entries(shape.properties as Record<string, JsonSchema>)) {
			byName.set(name, [...(byName.get(name) ?? []), [objectTypeOf(shape), schema]]);
		}
	}
	const properties: Record<string, JsonSchema> = {};
	for (const [name, inShapes] of byName) {
		properties[name] =
			name === 'objectType'
				? { ...inShapes[0][1], const: undefined, enum: objectTypes }
				: field(name, inShapes, shapes.length);
	}
	const required = (shapes[0].required as string[]).filter((name) =>
		shapes.every((shape) => (shape.required as string[]).includes(name)),
	);
	return JSON.parse(
		JSON.stringify({
			$schema: 'http://json-schema.org/draft-07/schema#',
			title: 'RevOps Trigger item',
			description: `One item per RevOps event, in one of two shapes told apart by objectType (${objectTypes.join(', ')}). properties lists the fields of both; oneOf holds each shape exactly.`,
			type: 'object',
			properties,
			required,
			oneOf: shapes.map((shape) => ({ title: `${objectTypeOf(shape)} item`, ...shape })),
		}),
	) as JsonSchema;
}
