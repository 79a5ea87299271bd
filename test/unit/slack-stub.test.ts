/**
 * The Slack stand-in the SLA and alert examples' end-to-end tests call: what it stores and how a
 * queued failure that Slack documents as possibly applied behaves.
 */
import { SLACK_INTERNAL_ERROR_AFTER_POSTING, SlackStub } from '../support/services/slack';
import type { StubAnswer } from '../support/services/service';

const TOKEN = 'xoxb-test';

function post(slack: SlackStub, args: Record<string, unknown>): StubAnswer {
	return slack.answer({
		method: 'POST',
		host: 'slack.com',
		path: '/api/chat.postMessage',
		query: {},
		headers: { authorization: `Bearer ${TOKEN}` },
		body: args,
		rawBody: JSON.stringify(args),
	});
}

describe('the Slack stub', () => {
	it('posts to a channel the app is in and refuses others with channel_not_found', () => {
		const slack = new SlackStub(TOKEN, ['C1']);
		expect(post(slack, { channel: 'C1', text: 'hello' })).toMatchObject({
			status: 200,
			body: { ok: true, channel: 'C1' },
		});
		expect(post(slack, { channel: 'C2', text: 'hello' })).toEqual({
			status: 200,
			body: { ok: false, error: 'channel_not_found' },
		});
		expect(slack.messages.map((message) => [message.channel, message.text])).toEqual([
			['C1', 'hello'],
		]);
	});

	it('answers internal_error after posting when told to, and a plain queued failure posts nothing', () => {
		const slack = new SlackStub(TOKEN, ['C1']);
		slack.failNext(SLACK_INTERNAL_ERROR_AFTER_POSTING, { status: 500, body: 'down' });
		expect(post(slack, { channel: 'C1', text: 'first' }).body).toEqual({
			ok: false,
			error: 'internal_error',
		});
		expect(post(slack, { channel: 'C1', text: 'second' }).status).toBe(500);
		expect(slack.messages.map((message) => message.text)).toEqual(['first']);
	});
});
