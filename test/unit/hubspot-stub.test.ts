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
		// "" clears a property (https://developers.hubspot.com/docs/api/crm/companies).
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

	it('answers 207 to a batch read that misses, and refuses an idProperty that is not unique', () => {
		const hubspot = new HubSpotStub();
		expect(
			send(hubspot, 'POST', '/crm/v3/objects/companies/batch/read', {
				idProperty: 'name',
				inputs: [{ id: 'Acme' }],
			}).status,
		).toBe(400);
		expect(
			send(hubspot, 'POST', '/crm/v3/objects/companies/batch/upsert', {
				inputs: [{ idProperty: 'name', id: 'Acme', properties: {} }],
			}).status,
		).toBe(400);
		const read = send(hubspot, 'POST', '/crm/v3/objects/companies/batch/read', {
			idProperty: 'revops_account_id',
			inputs: [{ id: 'a-1' }],
		});
		expect(read).toMatchObject({
			status: 207,
			body: { results: [], errors: [{ category: 'OBJECT_NOT_FOUND' }] },
		});
	});
});
