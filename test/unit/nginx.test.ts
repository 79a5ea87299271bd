/**
 * The nginx configuration users copy is the one the scale-out tests run: the README's block and
 * examples/nginx-queue.conf (mounted by the docker-compose file) are loadBalancerSite()'s output
 * for the compose file's host names.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { loadBalancerSite } from '../../tools/n8n/nginx';
import { readmeBlock } from '../support/readme-blocks';

const COMPOSE_ADDRESSES = {
	listen: '80',
	webhookProcesses: ['n8n-webhook-1:5678', 'n8n-webhook-2:5678'],
	main: 'n8n-main:5678',
};

describe('the nginx configuration users copy', () => {
	it('examples/nginx-queue.conf is what the tests run, for the compose file host names', () => {
		const example = readFileSync(
			join(__dirname, '..', '..', 'examples', 'nginx-queue.conf'),
			'utf8',
		);
		expect(example).toBe(loadBalancerSite(COMPOSE_ADDRESSES));
	});

	it("the README's Queue mode block is the same file", () => {
		expect(readmeBlock('**Several webhook processes behind a load balancer.**', 'nginx')).toBe(
			loadBalancerSite(COMPOSE_ADDRESSES),
		);
	});

	it('sends /webhook/ to every webhook process and everything else, Test URLs included, to main', () => {
		const site = loadBalancerSite({
			listen: '127.0.0.1:8080',
			webhookProcesses: ['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3'],
			main: '127.0.0.1:4',
		});
		expect(site).toMatch(
			/upstream n8n_webhook \{\n {4}server 127\.0\.0\.1:1 max_fails=0;\n {4}server 127\.0\.0\.1:2 max_fails=0;\n {4}server 127\.0\.0\.1:3 max_fails=0;\n\}/,
		);
		expect(site).toMatch(/upstream n8n_main \{\n {4}server 127\.0\.0\.1:4;\n\}/);
		expect(site).toContain('listen 127.0.0.1:8080;');
		const locations = [...site.matchAll(/location (\S+) \{\n {8}proxy_pass http:\/\/(\w+);/g)].map(
			([, where, upstream]) => [where, upstream],
		);
		expect(locations).toEqual([
			['/webhook/', 'n8n_webhook'],
			['/', 'n8n_main'],
		]);
	});
});
