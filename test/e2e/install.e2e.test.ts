/**
 * How n8n 2.41.1's own community-package settings treat this package, recorded in a real n8n:
 * n8n 3.0's default of N8N_UNVERIFIED_PACKAGES_ENABLED=false, packages declared with
 * N8N_COMMUNITY_PACKAGES in a form n8n refuses, and a registry of one's own, which needs an
 * enterprise licence. Installs that succeed, through n8n's installer, are in installer.e2e.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { N8nHttpError } from '../../tools/n8n/http';
import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import { TRIGGER_TYPE } from '../../tools/n8n/workflows';
import { name as PACKAGE_NAME, version as PACKAGE_VERSION } from '../../package.json';
import { expectQuoted } from '../support/troubleshooting';
import { packedTarball } from './tarball';
import { publishAndDeliver } from './fixture';

jest.setTimeout(300_000);

const DECLARED = JSON.stringify([{ name: PACKAGE_NAME, version: PACKAGE_VERSION }]);

describe('n8n 2.41.1 community-package settings', () => {
	let folder: string;
	let n8n: N8nInstance | undefined;

	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'n8n-install-'));
	});

	afterEach(async () => {
		await n8n?.stop();
		n8n = undefined;
		rmSync(folder, { recursive: true, force: true });
	});

	const start = async (env: Record<string, string>) =>
		await startN8n({ version: '2.41.1', tarball: await packedTarball(), userFolder: folder, env });

	it("with n8n 3.0's default N8N_UNVERIFIED_PACKAGES_ENABLED=false, 2.41.1 still loads the installed package and runs it, but Settings > Community nodes refuses to install it", async () => {
		n8n = await start({ N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' });
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);
		await publishAndDeliver(n8n, 'Unverified packages off');

		// What the editor's Install button sends for a package name without a verified checksum.
		const refusal = await n8n.rest('POST', '/rest/community-packages', { name: PACKAGE_NAME }).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(refusal).toBeInstanceOf(N8nHttpError);
		const { status, body } = refusal as N8nHttpError;
		expect(status).toBe(500);
		expectQuoted((JSON.parse(body) as { message: string }).message);
	});

	it('declared in N8N_COMMUNITY_PACKAGES with unverified packages off, n8n refuses to start and says why', async () => {
		await expect(
			start({
				N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
				N8N_COMMUNITY_PACKAGES: DECLARED,
				N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
			}),
		).rejects.toThrow(
			`N8N_COMMUNITY_PACKAGES: no checksum available for '${PACKAGE_NAME}@${PACKAGE_VERSION}' and unverified packages are disabled`,
		);
	});

	it('declared in N8N_COMMUNITY_PACKAGES as name@version instead of JSON, n8n refuses to start and says why', async () => {
		await expect(
			start({
				N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
				N8N_COMMUNITY_PACKAGES: `${PACKAGE_NAME}@${PACKAGE_VERSION}`,
			}),
		).rejects.toThrow('N8N_COMMUNITY_PACKAGES is not valid JSON');
	});

	it('declared in N8N_COMMUNITY_PACKAGES from a registry of your own, n8n needs a licence for that registry, logs it and starts', async () => {
		n8n = await start({
			N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
			N8N_COMMUNITY_PACKAGES: DECLARED,
			// Nothing listens there: n8n refuses before it would ask.
			N8N_COMMUNITY_PACKAGES_REGISTRY: 'http://127.0.0.1:9/',
		});
		const log = readFileSync(join(folder, 'n8n.log'), 'utf8');
		expect(log).toContain(
			`Failed to install community package '${PACKAGE_NAME}@${PACKAGE_VERSION}' from env: Your license does not allow for feat:communityNodes:customRegistry`,
		);
	});
});
