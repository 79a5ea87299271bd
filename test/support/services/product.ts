/**
 * product.example.com: the admin API of the user's own product, as the feature-flags example
 * expects it (examples/README.md, "Feature flags", is its contract: there is no public API to
 * follow). `PATCH /api/v1/accounts/{id}/features` with `{ enable }` switches the listed features
 * on and leaves the others as they are.
 */
import { StubService, type StubAnswer, type StubRequest } from './service';

export const PRODUCT_API_TOKEN = 'product-key-example';

interface AccountFeatures {
	enabled: Set<string>;
}

const isNameList = (value: unknown): value is string[] =>
	Array.isArray(value) && value.every((name) => typeof name === 'string' && name !== '');

export class ProductStub extends StubService {
	private readonly accounts = new Map<string, AccountFeatures>();

	constructor() {
		super('product.example.com', (request) => this.route(request));
	}

	/** An account that exists in the product, with the features it has before any deal. */
	addAccount(accountId: string, enabled: string[] = []): void {
		this.accounts.set(accountId, { enabled: new Set(enabled) });
	}

	/** The account's enabled features, sorted; undefined for an account the product does not have. */
	features(accountId: string): string[] | undefined {
		const account = this.accounts.get(accountId);
		return account === undefined ? undefined : [...account.enabled].sort();
	}

	private route(request: StubRequest): StubAnswer {
		if (request.headers.authorization !== `Bearer ${PRODUCT_API_TOKEN}`)
			return { status: 401, body: { error: 'unauthorised' } };
		const match = /^\/api\/v1\/accounts\/([^/]+)\/features$/.exec(request.path);
		if (request.method !== 'PATCH' || match === null)
			return { status: 404, body: { error: `no route ${request.method} ${request.path}` } };
		const accountId = decodeURIComponent(match[1]!);
		const account = this.accounts.get(accountId);
		if (account === undefined) return { status: 404, body: { error: `no account ${accountId}` } };
		const { enable } = request.body;
		if (!isNameList(enable))
			return { status: 422, body: { error: '"enable" must be a list of feature names' } };
		for (const name of enable) account.enabled.add(name);
		return { status: 200, body: { applied: true, enabled: [...account.enabled].sort() } };
	}
}
