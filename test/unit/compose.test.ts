/**
 * examples/docker-compose.queue.yml is the set the installer's queue-mode test starts
 * (test/e2e/installer.e2e.test.ts: tools/n8n/queue.ts behind nginx with two webhook processes and
 * a worker, the README's package lines added), so the file users copy is the set-up the tests
 * prove, addresses aside. test/unit/nginx.test.ts checks its nginx.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

import { MAIN_PROCESS_ENVIRONMENT, queueModeEnvironment } from '../../tools/n8n/queue';
import { readmeBlock, readmeEnvironment } from '../support/readme-blocks';

interface ComposeService {
	image?: string;
	command?: string;
	environment?: Record<string, string>;
	volumes?: string[];
	depends_on?: string[] | Record<string, { condition: string }>;
	healthcheck?: { test: string[] };
}

const compose = parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'docker-compose.queue.yml'), 'utf8'),
	{ merge: true },
) as { services: Record<string, ComposeService> };

const n8nServices = Object.entries(compose.services).filter(([, service]) =>
	service.image?.startsWith('docker.n8n.io/n8nio/n8n:'),
);

describe('examples/docker-compose.queue.yml', () => {
	it('runs main, two webhook processes and a worker of the n8n version the tests run', () => {
		expect(
			n8nServices.map(([name, service]) => [name, service.image, service.command ?? 'start']),
		).toEqual([
			['n8n-main', 'docker.n8n.io/n8nio/n8n:2.41.1', 'start'],
			['n8n-webhook-1', 'docker.n8n.io/n8nio/n8n:2.41.1', 'webhook'],
			['n8n-webhook-2', 'docker.n8n.io/n8nio/n8n:2.41.1', 'webhook'],
			['n8n-worker', 'docker.n8n.io/n8nio/n8n:2.41.1', 'worker'],
		]);
	});

	it.each(n8nServices)(
		"gives %s the tests' queue-mode environment and the README's package lines, nothing else",
		(name, service) => {
			const environment = service.environment ?? {};
			expect(environment).toEqual({
				...queueModeEnvironment({
					postgres: 'postgres:5432',
					redis: 'redis:6379',
					webhookUrl: environment.N8N_WEBHOOK_URL,
					encryptionKey: environment.N8N_ENCRYPTION_KEY,
					proxyHops: 1,
				}),
				// The tests' PostgreSQL trusts local connections; a deployment sets a password.
				DB_POSTGRESDB_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}',
				...readmeEnvironment('**Docker and Kubernetes:**'),
				...(name === 'n8n-main' ? MAIN_PROCESS_ENVIRONMENT : {}),
			});
		},
	);

	it('starts webhook processes and the worker once main answers the readiness probe the tests wait for', () => {
		const probe = compose.services['n8n-main'].healthcheck?.test.join(' ') ?? '';
		expect(probe).toContain('http://127.0.0.1:5678/healthz/readiness');
		for (const [name, service] of n8nServices.filter(([name]) => name !== 'n8n-main'))
			expect([name, service.depends_on]).toEqual([
				name,
				{ 'n8n-main': { condition: 'service_healthy' } },
			]);
	});

	it('puts nginx in front with examples/nginx-queue.conf as its site', () => {
		expect(compose.services.nginx.volumes).toEqual([
			'./nginx-queue.conf:/etc/nginx/conf.d/default.conf:ro',
		]);
	});
});

describe("the README's Kubernetes env list", () => {
	it('sets the same variables as its Docker lines', () => {
		const { env } = parse(readmeBlock('In a Kubernetes container spec', 'yaml')) as {
			env: Array<{ name: string; value: string }>;
		};
		expect(Object.fromEntries(env.map(({ name, value }) => [name, value]))).toEqual(
			readmeEnvironment('**Docker and Kubernetes:**'),
		);
	});
});
