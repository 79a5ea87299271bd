/**
 * Where n8n's installer and npm look for packages when nobody configures them: read from the
 * tools themselves, so no file here names a registry's host. The tests answer that host through
 * the intercepting proxy, from the local registry.
 */
import path from 'node:path';

import type { N8nInstall } from '../n8n/install';
import { runCommand } from '../n8n/run';

/** The default of N8N_COMMUNITY_PACKAGES_REGISTRY, from the installed n8n's own config class. */
export async function installerRegistry(install: N8nInstall): Promise<string> {
	const configModule = path.join(
		install.dir,
		'node_modules/n8n/dist/modules/community-packages/community-packages.config.js',
	);
	const { CommunityPackagesConfig } = (await import(configModule)) as {
		CommunityPackagesConfig: new () => { registry: string };
	};
	return new CommunityPackagesConfig().registry;
}

/** The registry npm uses here (`npm config get registry`). */
export async function npmRegistry(): Promise<string> {
	return (await runCommand('npm', ['config', 'get', 'registry'], { cwd: process.cwd() })).trim();
}
