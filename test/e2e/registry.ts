/**
 * The public registry as n8n's installer and npm see it in the end-to-end tests: a local
 * Verdaccio holding this package as PACKAGE_VERSION (and NEXT_VERSION once a test publishes it,
 * for an update), answered by the intercepting proxy under the registry addresses npm and each
 * n8n version are configured with. n8n started with `proxy.env` installs as users' n8n does.
 */
import { ensureN8n, type N8nVersion } from '../../tools/n8n/install';
import { installerRegistry, npmRegistry } from '../../tools/registry/public-registry';
import { startLocalRegistry } from '../../tools/registry/verdaccio';
import { name as PACKAGE_NAME, version as PACKAGE_VERSION } from '../../package.json';
import { startServiceProxy, type ServiceProxy } from '../support/services/proxy';
import { packedTarball } from './tarball';

/** What n8n's editor says on a node of this package once the package is uninstalled. */
export const NOT_INSTALLED_NOTICE = new RegExp(
	`This node is not currently installed\\. It's part of the\\s+${PACKAGE_NAME}\\s+community package`,
);

/** The release an update moves to: the same package, one patch version up. */
export const NEXT_VERSION = PACKAGE_VERSION.replace(/\d+$/, (patch) => String(Number(patch) + 1));

export interface RegistryBehindProxy {
	/** Its `env` sends n8n's and npm's registry requests to the local registry. */
	proxy: ServiceProxy;
	/** Publishes the package as NEXT_VERSION, which becomes the newest release. */
	publishNextVersion(): Promise<void>;
	stop(): Promise<void>;
}

/** For the n8n `versions` a test starts (their installers' registries are read from them). */
export async function startRegistryBehindProxy(
	versions: readonly N8nVersion[],
	log: (line: string) => void,
): Promise<RegistryBehindProxy> {
	const registry = await startLocalRegistry(log);
	try {
		const tarball = await packedTarball();
		await registry.publish(tarball);
		const publicUrls = [
			await npmRegistry(),
			...(await Promise.all(
				versions.map(async (version) => await installerRegistry(await ensureN8n(version, log))),
			)),
		];
		const proxy = await startServiceProxy(
			[],
			publicUrls.map((publicUrl) => ({ publicUrl, localUrl: registry.url })),
		);
		return {
			proxy,
			publishNextVersion: async () => await registry.publish(tarball, NEXT_VERSION),
			stop: async () => {
				await proxy.stop();
				await registry.stop();
			},
		};
	} catch (error) {
		await registry.stop();
		throw error;
	}
}
