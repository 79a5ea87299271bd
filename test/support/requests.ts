import type { DeliveryRequest } from '../../nodes/RevOpsTrigger/parse';

export function postRequest(body: Buffer): DeliveryRequest {
	return { method: 'POST', rawBody: body, query: {}, url: '/webhook/id/webhook' };
}

/** A GET as n8n hands it to the node: `query` already parsed, `url` as sent. */
export function getRequest(query: Record<string, unknown>, queryString: string, body?: Buffer): DeliveryRequest {
	return {
		method: 'GET',
		rawBody: body,
		query,
		url: `/webhook/id/webhook${queryString ? `?${queryString}` : ''}`,
	};
}
