/**
 * The HTTP side of a webhook call with no server: the request as n8n's Express hands it to a
 * node, and a response that records what the node writes on it.
 */

/** The parts of a request the trigger reads; what is left out gets a plain default. */
export interface WebhookRequest {
	method?: 'POST' | 'GET';
	rawBody?: Buffer;
	headers?: Record<string, string>;
	query?: Record<string, unknown>;
	url?: string;
	/** The client address n8n reports as `req.ip`. */
	ip?: string;
}

/** What the node wrote on the response itself (n8n's own answers are decided from the returned data). */
export interface RecordedResponse {
	status?: number;
	json?: unknown;
}

/** A response object that records what the node wrote, as Express's would send it. */
export function recordingResponse(): {
	res: { status(code: number): unknown; json(body: unknown): unknown };
	response: RecordedResponse;
} {
	const response: RecordedResponse = {};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.json = body;
			return res;
		},
	};
	return { res, response };
}
