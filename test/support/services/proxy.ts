/**
 * The third-party services the example workflows call, answered on 127.0.0.1 under their real
 * hostnames. n8n is started with HTTPS_PROXY pointing at an intercepting proxy (mockttp) whose
 * certificate authority it trusts through NODE_EXTRA_CA_CERTS, so n8n's own app nodes (Stripe,
 * HubSpot, Slack, Asana) call api.stripe.com and friends exactly as in production, and the
 * proxy hands each request to the stub registered for that host. A host with no stub is
 * refused and remembered, so a test can assert that nothing tried to leave the machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateCACertificate, getLocal } from 'mockttp';

import { stubRequest, wireAnswer, type StubService } from './service';

export interface ServiceProxy {
	/** What n8n's environment needs to send every outside request through the proxy. */
	env: Record<string, string>;
	/** `METHOD https://host/path` of every request to a host without a stub. */
	refused: string[];
	stop(): Promise<void>;
}

/** A proxy answering each service's host from its stub and refusing every other host. */
export async function startServiceProxy(services: StubService[]): Promise<ServiceProxy> {
	const authority = await generateCACertificate({
		subject: { commonName: 'n8n-nodes-revops test proxy' },
	});
	const folder = mkdtempSync(path.join(tmpdir(), 'revops-proxy-'));
	const caFile = path.join(folder, 'ca.pem');
	writeFileSync(caFile, authority.cert);
	const proxy = getLocal({ https: { key: authority.key, cert: authority.cert } });
	await proxy.start({ startPort: 20_000, endPort: 60_000 });
	const refused: string[] = [];
	for (const service of services) {
		await proxy
			.forAnyRequest()
			.forHostname(service.host)
			.thenCallback(async (request) => {
				const rawBody = (await request.body.getText()) ?? '';
				const answer = service.answer(
					stubRequest(request.method, new URL(request.url), request.headers, rawBody),
				);
				if (answer.delayMs !== undefined)
					await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
				const { status, headers, body } = wireAnswer(answer);
				return { statusCode: status, headers, body };
			});
	}
	await proxy.forUnmatchedRequest().thenCallback((request) => {
		refused.push(`${request.method} ${request.url}`);
		return { statusCode: 502, body: 'No stub answers this host: the tests never leave 127.0.0.1' };
	});
	return {
		env: {
			HTTPS_PROXY: proxy.url,
			HTTP_PROXY: proxy.url,
			// n8n's own REST calls, task broker and the trigger's URL stay direct.
			NO_PROXY: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: caFile,
		},
		refused,
		stop: async () => {
			await proxy.stop();
			rmSync(folder, { recursive: true, force: true });
		},
	};
}
