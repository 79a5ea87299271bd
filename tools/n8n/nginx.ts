/**
 * nginx in front of a queue-mode set, as n8n's queue-mode docs lay it out: production webhooks
 * (`/webhook/`) balanced across the webhook processes, everything else (the editor, the API and
 * the Test URLs under `/webhook-test/`, which only main serves) to main. Debian's package,
 * installed like Redis; the configuration is written per run and listens on 127.0.0.1 only.
 *
 * `loadBalancerSite()` is the part a user copies: the README's nginx example is this function's
 * output for the docker-compose file's host names (test/unit/nginx.test.ts keeps them equal).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ensureDebianProgram, type DebianProgram } from './debian';
import { ManagedProcess, ProcessLog } from './process';

type Log = (line: string) => void;

const NGINX: DebianProgram = {
	name: 'nginx',
	debianPackage: 'nginx',
	candidates: ['nginx', '/usr/sbin/nginx'],
	versionArgs: ['-v'],
};

/** How long nginx waits for a webhook process's answer before it answers 504 itself. */
export const PROXY_READ_TIMEOUT_S = 25;

const READY_LINE = /start worker process/;
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/** `nginx` from PATH, or from Debian's package installed now. */
export async function ensureNginx(log: Log): Promise<string> {
	return await ensureDebianProgram(NGINX, log);
}

/** `<folder>/nginx/access.log`: a line per request, saying which process answered it. */
export function accessLogFile(folder: string): string {
	return path.join(nginxFolder(folder), 'access.log');
}

const nginxFolder = (folder: string): string => path.join(folder, 'nginx');

export interface LoadBalancerAddresses {
	/** What nginx listens on: `80`, `127.0.0.1:8080`. */
	listen: string;
	/** `host:port` of each webhook process. */
	webhookProcesses: string[];
	/** `host:port` of main. */
	main: string;
}

/**
 * The `upstream`, `map` and `server` blocks, for nginx's `http` context (a file in
 * `/etc/nginx/conf.d/`). Its comments say why the directives that are not nginx habits are there.
 */
export function loadBalancerSite(addresses: LoadBalancerAddresses): string {
	const servers = (hosts: string[], options = ''): string =>
		hosts.map((host) => `    server ${host}${options};`).join('\n');
	return `# RevOps' deliveries (/webhook/) go to the webhook processes, in turn; everything else
# (editor, API, and the Test URLs under /webhook-test/, which only main serves) to main.
# max_fails=0 keeps every process in rotation: nginx would otherwise take a healthy webhook
# process out for 10 s after one slow answer (a run under When Workflow Succeeds), all of them
# at worst, and answer 502 meanwhile. One that is down is skipped per request (below).
upstream n8n_webhook {
${servers(addresses.webhookProcesses, ' max_fails=0')}
}

upstream n8n_main {
${servers([addresses.main])}
}

# The editor keeps a WebSocket open to main.
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}

server {
    listen ${addresses.listen};

    # n8n's own limit (N8N_PAYLOAD_SIZE_MAX, 16 MiB) decides, not nginx's 1 MiB default.
    client_max_body_size 16m;
    # RevOps waits 30 s for an answer, then retries: answer first (504), so its log says why.
    proxy_read_timeout ${PROXY_READ_TIMEOUT_S}s;
    proxy_connect_timeout 5s;
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    # With N8N_PROXY_HOPS=1, n8n takes the sender's address from this (IP allowlists).
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;

    location /webhook/ {
        proxy_pass http://n8n_webhook;
        # When a webhook process refuses the connection, try the next. nginx never passes a POST
        # on twice; a GET it may, as a RevOps retry would (a dedupeKey idempotency key absorbs both).
        proxy_next_upstream error;
    }

    location / {
        proxy_pass http://n8n_main;
    }
}
`;
}

/**
 * The whole nginx.conf the harness runs, its files in `dir`. nginx cannot open a socket as its
 * log (the harness reads output through socket pairs): the access log is a file.
 */
function harnessConfig(dir: string, accessLog: string, site: string): string {
	const temp = (name: string): string => path.join(dir, 'temp', name);
	return `daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log stderr notice;

events {
    worker_connections 1024;
}

http {
    # upstream=- and upstream_status=-: nginx answered itself, no n8n process saw the request.
    log_format upstream '$status $request_method $uri upstream=$upstream_addr upstream_status=$upstream_status $request_time';
    access_log ${accessLog} upstream;
    client_body_temp_path ${temp('client_body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};

${site}}
`;
}

/**
 * nginx on `port` (127.0.0.1) in front of the given processes, its config and temp files in
 * `<folder>/nginx`. Its worker runs as `nobody` when we are root, so the temp folder is open.
 */
export async function startNginx(
	folder: string,
	addresses: { port: number; webhookPorts: number[]; mainPort: number },
	log: Log,
): Promise<ManagedProcess> {
	const binary = await ensureNginx(log);
	const dir = nginxFolder(folder);
	mkdirSync(path.join(dir, 'temp'), { recursive: true });
	chmodSync(path.join(dir, 'temp'), 0o777);
	const { port } = addresses;
	const site = loadBalancerSite({
		listen: `127.0.0.1:${port}`,
		webhookProcesses: addresses.webhookPorts.map((webhookPort) => `127.0.0.1:${webhookPort}`),
		main: `127.0.0.1:${addresses.mainPort}`,
	});
	const configFile = path.join(dir, 'nginx.conf');
	writeFileSync(configFile, harnessConfig(dir, accessLogFile(folder), site));
	const server = new ManagedProcess({
		name: 'nginx',
		port,
		log: new ProcessLog(path.join(dir, 'nginx.log')),
		commandLine: async () => ({
			file: binary,
			// -e: the error log before the config is read (the default path is root's /var/log).
			args: ['-c', configFile, '-p', dir, '-e', 'stderr'],
			cwd: dir,
			env: process.env,
		}),
		readiness: { logLine: READY_LINE },
		readyTimeoutMs: READY_TIMEOUT_MS,
		stopGraceMs: STOP_GRACE_MS,
		progress: log,
	});
	await server.start();
	return server;
}
