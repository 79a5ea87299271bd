/**
 * The HubSpot stand-in the CRM example's end-to-end test calls refuses what HubSpot refuses:
 * checked here request by request, since the example itself only sends valid ones.
 */
import { HUBSPOT_TOKEN, HubSpotStub } from '../support/services/hubspot';
import type { StubAnswer } from '../support/services/service';

const BEARER = { authorization: `Bearer ${HUBSPOT_TOKEN}` };

function send(
	hubspot: HubSpotStub,
	method: string,
	path: string,
	body: Record<string, unknown> = {},
	query: Record<string, string> = {},
	headers: Record<string, string> = BEARER,
): StubAnswer {
	const rawBody = JSON.stringify(body);
	return hubspot.answer({ method, host: 'api.hubapi.com', path, query, headers, body, rawBody });
}

const upsert = (hubspot: HubSpotStub, id: string, properties: Record<string, unknown>) =>
	send(hubspot, 'POST', '/crm/v3/objects/companies/batch/upsert', {
		inputs: [{ idProperty: 'revops_account_id', id, properties }],
	});

describe('the HubSpot stub', () => {
	it('answers 401 without the private app token', () => {
		const answer = send(
			new HubSpotStub(),
			'POST',
			'/crm/v3/objects/companies/batch/read',
			{},
			{},
			{},
		);
		expect(answer).toMatchObject({ status: 401, body: { category: 'INVALID_AUTHENTICATION' } });
	});

	it('upserts one company per revops_account_id, storing dates and datetimes as HubSpot returns them', () => {
		const hubspot = new HubSpotStub();
		expect(
			upsert(hubspot, 'a-1', { name: 'Acme', revops_deleted_on: '1730505600000' }),
		).toMatchObject({
			status: 200,
			body: { results: [{ new: true }] },
		});
		upsert(hubspot, 'a-1', { revops_last_event_time: '1730535300000', name: '' });
		expect(hubspot.companiesOf('a-1').map((company) => company.properties)).toEqual([
			{
				revops_account_id: 'a-1',
				revops_deleted_on: '2024-11-02',
				revops_last_event_time: '2024-11-02T08:15:00.000Z',
			},
		]);
	});

	it('refuses an unknown property and a date that is not midnight UTC, storing nothing', () => {
		const hubspot = new HubSpotStub();
		const unknown = upsert(hubspot, 'a-1', { revops_colour: 'red' });
		expect(unknown).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR' } });
		expect(JSON.stringify(unknown.body)).toContain('PROPERTY_DOESNT_EXIST');
		const notMidnight = upsert(hubspot, 'a-1', { revops_deleted_on: '1730535300000' });
		expect(JSON.stringify(notMidnight.body)).toContain('8:15:0.0 UTC, not midnight!');
		expect(hubspot.companies).toEqual([]);
	});

	it('answers 404 to an update of an unknown company, by record id or by idProperty, and 207 to a batch read that misses', () => {
		const hubspot = new HubSpotStub();
		const patch = { properties: { name: 'Acme' } };
		expect(send(hubspot, 'PATCH', '/crm/v3/objects/companies/123', patch).status).toBe(404);
		expect(
			send(hubspot, 'PATCH', '/crm/v3/objects/companies/a-1', patch, {
				idProperty: 'revops_account_id',
			}).status,
		).toBe(404);
		expect(
			send(hubspot, 'PATCH', '/crm/v3/objects/companies/a-1', patch, { idProperty: 'name' }).status,
		).toBe(400);
		expect(
			send(hubspot, 'PUT', '/companies/v2/companies/123', {
				properties: [{ name: 'name', value: 'Acme' }],
			}).status,
		).toBe(404);
		const read = send(hubspot, 'POST', '/crm/v3/objects/companies/batch/read', {
			idProperty: 'revops_account_id',
			inputs: [{ id: 'a-1' }],
		});
		expect(read).toMatchObject({
			status: 207,
			body: { results: [], errors: [{ category: 'OBJECT_NOT_FOUND' }] },
		});
	});

	it('updates through the legacy v2 endpoint the HubSpot node uses, "" clearing a property', () => {
		const hubspot = new HubSpotStub();
		upsert(hubspot, 'a-1', { name: 'Acme', revops_status: 'active' });
		const [company] = hubspot.companiesOf('a-1');
		const answer = send(hubspot, 'PUT', `/companies/v2/companies/${company!.id}`, {
			properties: [
				{ name: 'revops_status', value: '' },
				{ name: 'revops_billing_email', value: 'ap@acme.example' },
			],
		});
		expect(answer.status).toBe(200);
		expect(company!.properties).toEqual({
			revops_account_id: 'a-1',
			name: 'Acme',
			revops_billing_email: 'ap@acme.example',
		});
	});
});
