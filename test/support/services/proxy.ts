/**
 * The third-party services the example workflows call, answered on 127.0.0.1 under their real
 * hostnames. n8n is started with HTTPS_PROXY pointing at an intercepting proxy (mockttp) whose
 * certificate authority it trusts through NODE_EXTRA_CA_CERTS, so n8n's own app nodes (Stripe,
 * HubSpot, Slack, Asana) call api.stripe.com and friends exactly as in production, and the
 * proxy hands each request to the stub registered for that host. A host with no stub is
 * refused and remembered, so a test can assert that nothing tried to leave the machine.
 *
 * A package registry's host can be forwarded to a local registry instead: n8n's installer runs
 * npm, which reaches the registry through the same proxy and trusts the same authority through
 * `npm_config_cafile`, so n8n installs the package exactly as it does for users.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateCACertificate, getLocal, type MockedEndpoint } from 'mockttp';

import { stubRequest, wireAnswer, type StubService } from './service';

export interface ServiceProxy {
	/** What n8n's environment needs to send every outside request through the proxy. */
	env: Record<string, string>;
	/** `METHOD https://host/path` of every request to a host without a stub. */
	refused: string[];
	/** `METHOD https://host/path` of every request forwarded to a local registry, in order. */
	registryRequests(): Promise<string[]>;
	stop(): Promise<void>;
}

/** A public registry's address and the local registry that answers for it. */
export interface ForwardedRegistry {
	/** As n8n or npm is configured with it, e.g. from `npm config get registry`. */
	publicUrl: string;
	/** `http://127.0.0.1:<port>/`. */
	localUrl: string;
}

/**
 * A proxy answering each service's host from its stub, each registry's host from its local
 * registry, and refusing every other host.
 */
export async function startServiceProxy(
	services: StubService[],
	registries: ForwardedRegistry[] = [],
): Promise<ServiceProxy> {
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
	// One rule per host: n8n's installer and npm usually name the same registry.
	const localUrlByHost = new Map(
		registries.map((entry) => [new URL(entry.publicUrl).hostname, entry.localUrl]),
	);
	const registryRules: MockedEndpoint[] = [];
	for (const [publicHost, localUrl] of localUrlByHost) {
		const rule = await proxy
			.forAnyRequest()
			.forHostname(publicHost)
			.thenPassThrough({
				transformRequest: {
					setProtocol: 'http',
					// The public host in Host and https in X-Forwarded-Proto: the registry then writes
					// tarball addresses that point back through this proxy, as the public ones do.
					replaceHost: { targetHost: new URL(localUrl).host, updateHostHeader: publicHost },
					updateHeaders: { 'x-forwarded-proto': 'https' },
				},
			});
		registryRules.push(rule);
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
			// npm reads its own CA setting, which a global npmrc may set and would otherwise win.
			npm_config_cafile: caFile,
			// A scratch cache: no answer of the proxy is kept under the public registry's addresses.
			npm_config_cache: path.join(folder, 'npm-cache'),
		},
		refused,
		registryRequests: async () => {
			const seen = (
				await Promise.all(registryRules.map(async (rule) => await rule.getSeenRequests()))
			).flat();
			return seen
				.sort((first, second) => first.timingEvents.startTime - second.timingEvents.startTime)
				.map((request) => `${request.method} ${request.url}`);
		},
		stop: async () => {
			await proxy.stop();
			rmSync(folder, { recursive: true, force: true });
		},
	};
}
