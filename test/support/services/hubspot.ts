/**
 * api.hubapi.com as far as the CRM example uses it (companies, through CRM v3's batch read and
 * batch upsert), refusing what HubSpot refuses. Every rule links the part of HubSpot's developer
 * documentation it follows.
 */
import { StubService, type StubAnswer, type StubRequest } from './service';

export const HUBSPOT_TOKEN = 'pat-na1-revops-example';

/**
 * The company properties of the test portal: HubSpot's own `name`, and the custom ones the
 * example's sticky note asks the user to create. `revops_account_id` has "require unique
 * values" set, which lets it be an idProperty.
 * https://developers.hubspot.com/docs/api/crm/properties (types date, datetime, string; hasUniqueValue)
 */
const PROPERTIES: Record<string, { type: 'string' | 'date' | 'datetime'; unique?: boolean }> = {
	name: { type: 'string' },
	revops_account_id: { type: 'string', unique: true },
	revops_billing_email: { type: 'string' },
	revops_status: { type: 'string' },
	revops_last_event: { type: 'string' },
	revops_last_event_time: { type: 'datetime' },
	revops_deleted_on: { type: 'date' },
};

const DAY_MS = 86_400_000;

export interface Company {
	id: string;
	/** As HubSpot returns them: dates as YYYY-MM-DD, datetimes as ISO 8601 UTC; cleared ones absent. */
	properties: Record<string, string>;
	createdAt: string;
	updatedAt: string;
}

interface Invalid {
	isValid: false;
	message: string;
	error: string;
	name: string;
}

/**
 * https://developers.hubspot.com/docs/api/error-handling: `{ status: "error", message,
 * correlationId, category }`; CRM v3 spells property errors inside the message.
 */
function error(status: number, category: string, message: string): StubAnswer {
	return {
		status,
		body: { status: 'error', message, correlationId: 'stub-correlation-id', category },
	};
}

/** https://developers.hubspot.com/docs/api/usage-details: a 429 with errorType RATE_LIMIT and the policy hit. */
export function rateLimited(): StubAnswer {
	return {
		status: 429,
		body: {
			status: 'error',
			message: 'You have reached your ten_secondly_rolling limit.',
			errorType: 'RATE_LIMIT',
			correlationId: 'stub-correlation-id',
			policyName: 'TEN_SECONDLY_ROLLING',
		},
	};
}

/** A 500 as HubSpot sends it now and then. */
export function serverError(): StubAnswer {
	return error(500, 'INTERNAL_ERROR', 'internal error');
}

/**
 * A batch that stored nothing for its one input, answered 207 Multi-Status with the reason in
 * `errors`, as HubSpot's batch endpoints do when some inputs fail:
 * https://developers.hubspot.com/docs/api/error-handling (multi-status errors).
 */
export function multiStatus(message: string): StubAnswer {
	return {
		status: 207,
		body: {
			status: 'COMPLETE',
			results: [],
			numErrors: 1,
			errors: [{ status: 'error', category: 'VALIDATION_ERROR', message, context: {} }],
		},
	};
}

/**
 * One property value, checked and stored as HubSpot does, or why it is refused.
 * https://developers.hubspot.com/docs/faq/how-should-timestamps-be-formatted-for-hubspots-apis:
 * a date property takes midnight UTC only (epoch milliseconds, or YYYY-MM-DD in v3) and refuses
 * any other time; a datetime takes any epoch milliseconds or ISO 8601 time.
 */
function checkValue(name: string, raw: unknown): { stored: string } | Invalid {
	const definition = PROPERTIES[name];
	const invalid = (error: string, message: string): Invalid => ({
		isValid: false,
		message,
		error,
		name,
	});
	// https://developers.hubspot.com/docs/api/crm/properties: unknown names are refused.
	if (definition === undefined)
		return invalid('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
	const value = raw === null || raw === undefined ? '' : String(raw);
	// https://developers.hubspot.com/docs/api/crm/companies: "" clears a property.
	if (value === '' || definition.type === 'string') return { stored: value };
	const millis = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	if (Number.isNaN(millis))
		return invalid('INVALID_DATE', `${value} is not a valid ${definition.type}`);
	if (definition.type === 'datetime') return { stored: new Date(millis).toISOString() };
	if (millis % DAY_MS !== 0) {
		const at = new Date(millis);
		return invalid(
			'INVALID_DATE',
			`${value} is at ${at.getUTCHours()}:${at.getUTCMinutes()}:${at.getUTCSeconds()}.${at.getUTCMilliseconds()} UTC, not midnight!`,
		);
	}
	return { stored: new Date(millis).toISOString().slice(0, 10) };
}

function checkProperties(
	properties: Record<string, unknown>,
): { stored: Record<string, string> } | { invalid: Invalid[] } {
	const stored: Record<string, string> = {};
	const invalid: Invalid[] = [];
	for (const [name, raw] of Object.entries(properties)) {
		const checked = checkValue(name, raw);
		if ('stored' in checked) stored[name] = checked.stored;
		else invalid.push(checked);
	}
	return invalid.length > 0 ? { invalid } : { stored };
}

function invalidV3(invalid: Invalid[]): StubAnswer {
	return error(
		400,
		'VALIDATION_ERROR',
		`Property values were not valid: ${JSON.stringify(invalid)}`,
	);
}

export class HubSpotStub extends StubService {
	readonly companies: Company[] = [];

	constructor() {
		super('api.hubapi.com', (request) => this.route(request));
	}

	/** The companies whose revops_account_id is `accountId` (HubSpot keeps at most one). */
	companiesOf(accountId: string): Company[] {
		return this.companies.filter((company) => company.properties.revops_account_id === accountId);
	}

	private route(request: StubRequest): StubAnswer {
		// https://developers.hubspot.com/docs/api/private-apps: `Authorization: Bearer <token>`.
		if (request.headers.authorization !== `Bearer ${HUBSPOT_TOKEN}`)
			return error(
				401,
				'INVALID_AUTHENTICATION',
				'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
			);
		const route = `${request.method} ${request.path}`;
		if (route === 'POST /crm/v3/objects/companies/batch/read') return this.batchRead(request);
		if (route === 'POST /crm/v3/objects/companies/batch/upsert') return this.batchUpsert(request);
		return error(404, 'OBJECT_NOT_FOUND', `Unknown route ${route}`);
	}

	/**
	 * https://developers.hubspot.com/docs/api/crm/properties#create-unique-identifier-properties:
	 * a company is found by its record id, or by the value of a unique property named in
	 * idProperty; any other idProperty is refused.
	 */
	private static refusedIdProperty(idProperty: string | undefined): StubAnswer | undefined {
		if (idProperty === undefined || idProperty === 'hs_object_id') return undefined;
		if (PROPERTIES[idProperty]?.unique === true) return undefined;
		return error(400, 'VALIDATION_ERROR', `${idProperty} is not a unique property`);
	}

	private find(id: string, idProperty: string | undefined): Company | undefined {
		if (idProperty === undefined || idProperty === 'hs_object_id')
			return this.companies.find((company) => company.id === id);
		return this.companies.find((company) => company.properties[idProperty] === id);
	}

	private write(company: Company | undefined, stored: Record<string, string>): Company {
		const now = new Date().toISOString();
		const target = company ?? {
			id: String(9_000_000_001 + this.companies.length),
			properties: {},
			createdAt: now,
			updatedAt: now,
		};
		for (const [name, value] of Object.entries(stored)) {
			if (value === '') delete target.properties[name];
			else target.properties[name] = value;
		}
		target.updatedAt = now;
		if (company === undefined) this.companies.push(target);
		return target;
	}

	/** v3 answers every requested property, null when it has no value, and hs_object_id. */
	private static v3(company: Company, requested: string[] = []) {
		return {
			id: company.id,
			properties: {
				...Object.fromEntries(requested.map((name) => [name, null])),
				...company.properties,
				hs_object_id: company.id,
			},
			createdAt: company.createdAt,
			updatedAt: company.updatedAt,
			archived: false,
		};
	}

	/**
	 * https://developers.hubspot.com/docs/api/crm/companies (batch read): 200 when every input
	 * was found, else 207 Multi-Status with the found ones and an OBJECT_NOT_FOUND error.
	 */
	private batchRead(request: StubRequest): StubAnswer {
		const { idProperty, inputs, properties } = request.body as {
			idProperty?: string;
			inputs?: Array<{ id: string }>;
			properties?: string[];
		};
		const refused = HubSpotStub.refusedIdProperty(idProperty);
		if (refused !== undefined) return refused;
		const results = [];
		const missing: string[] = [];
		for (const { id } of inputs ?? []) {
			const found = this.find(id, idProperty);
			if (found === undefined) missing.push(id);
			else results.push(HubSpotStub.v3(found, properties));
		}
		const body = { status: 'COMPLETE', results };
		if (missing.length === 0) return { status: 200, body };
		return {
			status: 207,
			body: {
				...body,
				numErrors: 1,
				errors: [
					{
						status: 'error',
						category: 'OBJECT_NOT_FOUND',
						message: 'Could not get some COMPANY objects, they may be deleted or not exist.',
						context: { ids: missing },
					},
				],
			},
		};
	}

	/**
	 * https://developers.hubspot.com/docs/api/crm/companies (batch upsert): each input is found
	 * by its unique idProperty value and updated, or created with that value.
	 */
	private batchUpsert(request: StubRequest): StubAnswer {
		const inputs = (request.body.inputs ?? []) as Array<{
			idProperty?: string;
			id: string;
			properties?: Record<string, unknown>;
		}>;
		const checked = inputs.map((input) => checkProperties(input.properties ?? {}));
		const invalid = checked.flatMap((result) => ('invalid' in result ? result.invalid : []));
		if (invalid.length > 0) return invalidV3(invalid);
		const results = [];
		for (const [index, input] of inputs.entries()) {
			if (input.idProperty === undefined || PROPERTIES[input.idProperty]?.unique !== true)
				return error(400, 'VALIDATION_ERROR', 'idProperty must name a unique property');
			const found = this.find(input.id, input.idProperty);
			const stored = (checked[index] as { stored: Record<string, string> }).stored;
			const company = this.write(found, { ...stored, [input.idProperty]: input.id });
			results.push({ ...HubSpotStub.v3(company), new: found === undefined });
		}
		return { status: 200, body: { status: 'COMPLETE', results } };
	}
}
