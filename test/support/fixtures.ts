import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures');

/** The key the signature test vectors (docs/revops-webhooks.md §8) are signed with. */
export const TEST_KEY = 'revops-test-verification-key';

/** The signature test vectors (docs/revops-webhooks.md §8): the header value RevOps sends for each fixture file. */
export const SIGNATURE_VECTORS: Record<string, string> = {
	'deal-signed.json': '8ad64708006727c9f1039cadf41fd1593f67313f82f8130059968f0dbceae683',
	'account-created.json': '742aed859a937884a9fa9e501d2857e54a82284e051b697fad70728e78ee0a63',
	'deal-signed-jpy-body-wrapped.json':
		'00150a06d921ec471fe9bf3bd653298b89ad3861149e6f908987931942fd09fd',
};

export function fixtureBytes(name: string): Buffer {
	return readFileSync(join(FIXTURE_DIR, name.endsWith('.json') ? name : `${name}.json`));
}

export function fixtureJson(name: string): Record<string, unknown> {
	return JSON.parse(fixtureBytes(name).toString('utf8'));
}

export function fixtureNames(): string[] {
	return readdirSync(FIXTURE_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort();
}

export function jsonBytes(value: unknown): Buffer {
	return Buffer.from(JSON.stringify(value), 'utf8');
}
