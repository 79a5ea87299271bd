import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { PublicApi, RestSession } from './http';
import type { N8nVersion } from './install';

export interface Owner {
	email: string;
	password: string;
}

/**
 * What the harness remembers about a user folder in `<userFolder>/harness.json`, so a restart
 * or a second `npm start` logs in as the same owner and keeps using the same API key.
 */
export interface HarnessState {
	version: N8nVersion;
	port: number;
	owner: Owner;
	apiKey: string;
}

const STATE_FILE = 'harness.json';

export function readHarnessState(userFolder: string): HarnessState | undefined {
	const file = path.join(userFolder, STATE_FILE);
	if (!existsSync(file)) return undefined;
	return JSON.parse(readFileSync(file, 'utf8')) as HarnessState;
}

export function writeHarnessState(userFolder: string, state: HarnessState): void {
	writeFileSync(path.join(userFolder, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, {
		mode: 0o600,
	});
}

/** n8n wants 8-64 characters with at least one digit and one capital letter. */
export function generatePassword(): string {
	return `Revops-${randomBytes(9).toString('base64url')}-7Q`;
}

/**
 * Signs in to a ready n8n: creates the owner when n8n has none yet (a fresh user folder, or
 * one whose database was deleted) or logs in as the saved one, then returns a working API key
 * (the saved one, or a new one with every scope).
 */
export async function signIn(
	session: RestSession,
	baseUrl: string,
	saved: HarnessState | undefined,
	newOwner: Owner,
): Promise<{ owner: Owner; apiKey: string }> {
	const owner = saved?.owner ?? newOwner;
	const settings = await session.call<{ userManagement: { showSetupOnFirstLoad: boolean } }>(
		'GET',
		'/rest/settings',
	);
	if (settings.userManagement.showSetupOnFirstLoad) {
		await session.setupOwner(owner);
	} else if (saved === undefined) {
		throw new Error(
			`n8n at ${baseUrl} already has an owner, but there is no ${STATE_FILE} with its login in the user folder`,
		);
	} else {
		await session.login(owner);
	}

	if (saved !== undefined && (await new PublicApi(baseUrl, saved.apiKey).works())) {
		return { owner, apiKey: saved.apiKey };
	}
	const scopes = await session.call<string[]>('GET', '/rest/api-keys/scopes');
	const created = await session.call<{ rawApiKey: string }>('POST', '/rest/api-keys', {
		label: `harness ${new Date().toISOString()}`,
		scopes,
		expiresAt: null,
	});
	return { owner, apiKey: created.rawApiKey };
}
