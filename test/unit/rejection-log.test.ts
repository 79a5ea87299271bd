import { SIGNATURE_MISMATCH } from '../../nodes/RevOpsTrigger/verify';
import {
	claimedEventType,
	logRefusal,
	MAX_PARSED_REFUSED_BYTES,
	REJECTION_LOG_BURST,
	REJECTION_LOG_WINDOW_MS,
	RejectionLogLimiter,
	rejectionWarning,
} from '../../nodes/RevOpsTrigger/rejection-log';
import { fixtureBytes, TEST_KEY } from '../support/fixtures';
import { getRequest, postRequest } from '../support/requests';
import { coreWebhook } from '../../tools/n8n-core/webhook';

const refused = {
	status: 401,
	reason: SIGNATURE_MISMATCH,
	sender: '203.0.113.7',
	workflowId: 'wf1',
	nodeName: 'RevOps Trigger',
};

describe('RejectionLogLimiter', () => {
	it('logs the first refusals of a window, counts the rest and reports the count with the next window', () => {
		const limiter = new RejectionLogLimiter();
		const t0 = 1_000_000;
		const decisions = Array.from({ length: 50 }, (_, index) =>
			limiter.admit('wf1/a', t0 + index * 100),
		);
		expect(decisions.filter((decision) => decision.log)).toHaveLength(REJECTION_LOG_BURST);
		expect(decisions.slice(0, REJECTION_LOG_BURST).every((decision) => decision.log)).toBe(true);
		expect(decisions[REJECTION_LOG_BURST - 1].lastOfBurst).toBe(true);
		const next = limiter.admit('wf1/a', t0 + REJECTION_LOG_WINDOW_MS);
		expect(next).toEqual({
			log: true,
			suppressedBefore: 50 - REJECTION_LOG_BURST,
			lastOfBurst: false,
		});
		expect(limiter.admit('wf1/a', t0 + REJECTION_LOG_WINDOW_MS + 1).suppressedBefore).toBe(0);
	});

	it('keeps separate counts per trigger, so one flooded URL does not silence another', () => {
		const limiter = new RejectionLogLimiter();
		for (let index = 0; index < 20; index++) limiter.admit('flooded', index);
		expect(limiter.admit('flooded', 30).log).toBe(false);
		expect(limiter.admit('quiet', 30).log).toBe(true);
	});

	it('starts a new window when the clock goes backwards instead of staying silent', () => {
		const limiter = new RejectionLogLimiter();
		for (let index = 0; index < 20; index++) limiter.admit('t', 5_000_000);
		expect(limiter.admit('t', 1_000).log).toBe(true);
	});
});

describe('claimedEventType', () => {
	const post = (text: string | undefined) =>
		postRequest(text === undefined ? Buffer.alloc(0) : Buffer.from(text));

	it.each([
		['the envelope', post(fixtureBytes('deal-signed').toString('utf8'))],
		['a bare string event', post('{"event":"deal-signed","deal":{}}')],
		['the body wrapper', post('{"body":{"event":{"type":"deal-signed"},"deal":{}}}')],
		[
			'a GET payload parameter',
			getRequest({ payload: '{"event":{"type":"deal-signed"}}' }, 'payload=x'),
		],
		['a GET body parameter', getRequest({ body: '{"event":"deal-signed"}' }, 'body=x')],
		[
			'a GET data parameter',
			getRequest({ data: '{"body":{"event":{"type":"deal-signed"}}}' }, 'data=x'),
		],
		[
			'bracketed GET keys',
			getRequest(
				{ event: { type: 'deal-signed' }, deal: { id: 'd' } },
				'event[type]=deal-signed&deal[id]=d',
			),
		],
		[
			'bracketed GET keys in a body wrapper',
			getRequest({ body: { event: { type: 'deal-signed' } } }, 'body[event][type]=deal-signed'),
		],
	])('reads a documented event type from %s', (_label, request) => {
		expect(claimedEventType(request)).toBe('deal-signed');
	});

	it.each([
		['no body', post(undefined)],
		['malformed JSON', post('{"event":')],
		[
			'a type RevOps does not send',
			post('{"event":{"type":"deal-signed\\n[ERROR] forged log line"}}'),
		],
		['a non-string type', post('{"event":{"type":7}}')],
		['JSON null', post('null')],
		[
			'a multipart body',
			postRequest(Buffer.from('{"event":"deal-signed"}'), { contentType: 'multipart/form-data' }),
		],
	])('says nothing for %s', (_label, request) => {
		expect(claimedEventType(request)).toBeUndefined();
	});

	it(`does not parse a refused body over ${MAX_PARSED_REFUSED_BYTES} bytes, so a flood of large bodies costs no parsing`, () => {
		const envelope = '{"event":{"type":"deal-signed"},"deal":{"padding":"';
		const atLimit = envelope + 'x'.repeat(MAX_PARSED_REFUSED_BYTES - envelope.length - 3) + '"}}';
		expect(Buffer.byteLength(atLimit)).toBe(MAX_PARSED_REFUSED_BYTES);
		expect(claimedEventType(post(atLimit))).toBe('deal-signed');
		const parse = jest.spyOn(JSON, 'parse');
		try {
			expect(
				claimedEventType(post(atLimit.replace('"padding":"', '"padding":"x'))),
			).toBeUndefined();
			expect(parse).not.toHaveBeenCalled();
		} finally {
			parse.mockRestore();
		}
	});
});

describe('rejectionWarning', () => {
	it('names the trigger, sender, claimed event type, status and reason', () => {
		const warning = rejectionWarning(refused, 'deal-signed', {
			suppressedBefore: 0,
			lastOfBurst: false,
		});
		expect(warning.message).toBe(
			'RevOps Trigger "RevOps Trigger" (workflow wf1) refused a delivery from 203.0.113.7 (claims event deal-signed) with 401: ' +
				SIGNATURE_MISMATCH,
		);
		expect(warning.meta).toEqual({
			status: 401,
			sender: '203.0.113.7',
			claimedEventType: 'deal-signed',
			workflowId: 'wf1',
			node: 'RevOps Trigger',
			suppressedBefore: 0,
		});
	});

	it('says how many refusals went unlogged, and when logging pauses', () => {
		expect(
			rejectionWarning(refused, undefined, { suppressedBefore: 42, lastOfBurst: false }).message,
		).toContain('[42 more refusals in the previous 60 s were counted, not logged]');
		expect(
			rejectionWarning(refused, undefined, { suppressedBefore: 0, lastOfBurst: true }).message,
		).toContain('counted, not logged]');
	});

	it('keeps control characters and odd addresses out of the log line', () => {
		const warning = rejectionWarning(
			{ ...refused, sender: 'evil\nhost', reason: '"deal.\n[ERROR] x" must be a string' },
			undefined,
			{ suppressedBefore: 0, lastOfBurst: false },
		);
		expect(warning.message).not.toContain('\n');
		expect(warning.message).toContain('from unknown with 401');
	});
});

describe('RevOps Trigger logs refusals', () => {
	it('warns with reason, sender and claimed event type, without the body or the key', async () => {
		const hook = await coreWebhook({
			parameters: { events: ['*'] },
			credential: { verificationSecret: TEST_KEY },
		});
		const { response, warnings } = await hook.call({
			rawBody: fixtureBytes('deal-signed'),
			headers: { 'content-type': 'application/json', 'x-revops-content-hmac': 'deadbeef' },
			ip: '198.51.100.4',
		});
		expect(response.status).toBe(401);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('from 198.51.100.4 (claims event deal-signed) with 401');
		const logged = JSON.stringify(warnings);
		expect(logged).not.toContain(TEST_KEY);
		expect(logged).not.toContain('6a2b102e-9d80-4863-b3e5-ba867a5ceafd');
	});

	it('logs nothing for an accepted delivery', async () => {
		const hook = await coreWebhook({ parameters: { events: ['*'], authentication: 'none' } });
		const { result, warnings } = await hook.call({
			rawBody: fixtureBytes('deal-signed'),
			headers: { 'content-type': 'application/json' },
		});
		expect(result.workflowData).toHaveLength(1);
		expect(warnings).toEqual([]);
	});

	it('keeps its counters on the Express app of the server, so a flood is logged a few times', () => {
		const app = { locals: {} as Record<string, unknown> };
		const warnings: string[] = [];
		const context = {
			getRequestObject: () => ({ app }),
			getNode: () => ({ name: 'RevOps Trigger' }),
			getWorkflow: () => ({ id: 'wf9' }),
			logger: { warn: (message: string) => warnings.push(message) },
		};
		const request = postRequest(Buffer.from('{}'));
		for (let index = 0; index < 100; index++)
			logRefusal(context, request, { status: 400, message: 'bad' }, 1_000 + index);
		expect(warnings).toHaveLength(REJECTION_LOG_BURST);
		logRefusal(context, request, { status: 400, message: 'bad' }, 1_000 + REJECTION_LOG_WINDOW_MS);
		expect(warnings.at(-1)).toContain(`[${100 - REJECTION_LOG_BURST} more refusals`);
	});
});
