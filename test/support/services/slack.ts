/**
 * slack.com's Web API as far as the SLA example uses it (chat.postMessage), refusing what Slack
 * refuses. Every rule links the part of Slack's documentation it follows. Each stored message
 * keeps the text as sent and what Slack would display for it.
 */
import { StubService, type StubAnswer, type StubRequest } from './service';

export interface SlackMessage {
	channel: string;
	ts: string;
	/** The `text` argument as n8n sent it. */
	text: string;
	/** What a reader sees: links shown by their label, entities decoded. */
	display: string;
	/** The `<url|label>` links the text holds. */
	links: Array<{ url: string; label: string }>;
	/** Mentions Slack would notify (`<!channel>`, `<@U123>`...). */
	mentions: string[];
}

/**
 * https://docs.slack.dev/apis/web-api/#responding: errors are HTTP 200 with `ok: false` and
 * an error code; https://docs.slack.dev/reference/methods/chat.postMessage#errors lists them.
 */
const error = (code: string): StubAnswer => ({ status: 200, body: { ok: false, error: code } });

/**
 * How Slack reads a message's `text`: https://docs.slack.dev/messaging/formatting-message-text
 * `<...>` is a link or a mention (#linking-urls, #mentioning-users, #special-mentions) and
 * `&amp;`, `&lt;`, `&gt;` stand for &, < and > (#escaping-text).
 */
export function renderSlackText(
	text: string,
): Pick<SlackMessage, 'display' | 'links' | 'mentions'> {
	const decode = (part: string) =>
		part.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
	const links: SlackMessage['links'] = [];
	const mentions: string[] = [];
	const display = text.replace(/<([^<>]*)>/g, (_sequence, inner: string) => {
		const [target = '', label] = inner.split('|', 2);
		if (/^[!@#]/.test(target)) {
			mentions.push(target);
			return decode(label ?? `@${target.slice(1)}`);
		}
		links.push({ url: decode(target), label: decode(label ?? target) });
		return decode(label ?? target);
	});
	return { display: decode(display), links, mentions };
}

export class SlackStub extends StubService {
	readonly messages: SlackMessage[] = [];
	private sequence = 0;

	/** `token` is the bot token n8n's Slack credential holds; the app may post in `channels`. */
	constructor(
		private readonly token: string,
		private readonly channels: string[],
	) {
		super('slack.com', (request) => this.route(request));
	}

	private route(request: StubRequest): StubAnswer {
		// https://docs.slack.dev/authentication/tokens: the token comes as `Authorization: Bearer`.
		const authorization = request.headers.authorization;
		if (authorization === undefined) return error('not_authed');
		if (authorization !== `Bearer ${this.token}`) return error('invalid_auth');
		// https://docs.slack.dev/apis/web-api/#basics: arguments as query string, form or JSON body.
		const args = { ...request.query, ...request.body };
		if (request.path === '/api/chat.postMessage' && request.method === 'POST')
			return this.postMessage(args);
		if (request.path === '/api/conversations.history') return this.history(args);
		// An unknown method answers unknown_method.
		return error('unknown_method');
	}

	/**
	 * https://docs.slack.dev/reference/methods/conversations.history: newest first, messages
	 * after `oldest` (and at it with `inclusive`), at most `limit` (default 100) with a cursor.
	 */
	private history(args: Record<string, unknown>): StubAnswer {
		const channel = args.channel;
		if (typeof channel !== 'string' || !this.channels.includes(channel))
			return error('channel_not_found');
		const oldest = Number(args.oldest ?? 0);
		const inclusive =
			args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
		const limit = Math.min(Number(args.limit ?? 100), 999);
		const start = Number(args.cursor === undefined || args.cursor === '' ? 0 : args.cursor);
		const matching = this.messages
			.filter((message) => message.channel === channel)
			.filter((message) => (inclusive ? Number(message.ts) >= oldest : Number(message.ts) > oldest))
			.reverse();
		const page = matching.slice(start, start + limit);
		const more = start + limit < matching.length;
		return {
			status: 200,
			body: {
				ok: true,
				messages: page.map((message) => ({ type: 'message', ts: message.ts, text: message.text })),
				has_more: more,
				response_metadata: { next_cursor: more ? String(start + limit) : '' },
			},
		};
	}

	/** https://docs.slack.dev/reference/methods/chat.postMessage */
	private postMessage(args: Record<string, unknown>): StubAnswer {
		const channel = args.channel;
		// `channel` is required; a missing or unknown one is channel_not_found.
		if (typeof channel !== 'string' || !this.channels.includes(channel))
			return error('channel_not_found');
		// One of text, blocks or attachments is required: no_text.
		const text = args.text;
		if ((typeof text !== 'string' || text.trim() === '') && !args.blocks && !args.attachments)
			return error('no_text');
		// https://docs.slack.dev/reference/methods/chat.postMessage#truncating: 40,000 characters at most.
		if (typeof text === 'string' && text.length > 40_000) return error('msg_too_long');
		// A message's ts is its posting time, seconds.microseconds, unique in the channel.
		this.sequence += 1;
		const now = Date.now();
		const micros = (now % 1000) * 1000 + (this.sequence % 1000);
		const message: SlackMessage = {
			channel,
			ts: `${Math.floor(now / 1000)}.${String(micros).padStart(6, '0')}`,
			text: String(text),
			...renderSlackText(String(text)),
		};
		this.messages.push(message);
		return {
			status: 200,
			body: { ok: true, channel, ts: message.ts, message: { type: 'message', text: message.text } },
		};
	}
}

/** https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429 with Retry-After in seconds. */
export const SLACK_RATE_LIMITED: StubAnswer = {
	status: 429,
	headers: { 'retry-after': '1' },
	body: { ok: false, error: 'ratelimited' },
};

/**
 * https://docs.slack.dev/reference/methods/chat.postMessage#errors, internal_error: "It's
 * possible some aspect of the operation succeeded before the error was raised". Here the
 * message was posted.
 */
export const SLACK_INTERNAL_ERROR_AFTER_POSTING: StubAnswer = {
	...error('internal_error'),
	applied: true,
};
