/**
 * n8n's editor as a user clicks through it, found by n8n's own `data-test-id` attributes
 * (plus roles and visible texts where n8n gives no test id). Used by the browser tests and
 * by `npm run docs:screenshots`, so the pictures show the path the tests check.
 */
import type { Locator, Page } from 'playwright-core';

/** Editor actions on a loaded box can take seconds; on a busy 2-core machine, more. */
const EDITOR_TIMEOUT_MS = 60_000;

/**
 * Reads until `accept` takes what was read, then returns it (or throws with the last reading).
 * `beforeNextRead` runs between readings: a click that reveals what is awaited, say.
 */
async function eventually<T>(
	read: () => Promise<T>,
	accept: (value: T) => boolean,
	awaited: string,
	page: Page,
	options: { timeoutMs?: number; beforeNextRead?: () => Promise<void> } = {},
): Promise<T> {
	const timeoutMs = options.timeoutMs ?? EDITOR_TIMEOUT_MS;
	const deadline = Date.now() + timeoutMs;
	let last: T | undefined;
	for (;;) {
		last = await read().catch(() => last);
		if (last !== undefined && accept(last)) return last;
		if (Date.now() > deadline)
			throw new Error(
				`Never saw ${awaited} within ${timeoutMs} ms; last seen:\n${String(last).slice(0, 2000)}`,
			);
		await options.beforeNextRead?.();
		await page.waitForTimeout(200);
	}
}

/** Waits until the locator's text matches, then returns that text (or throws with the last text seen). */
export async function textMatching(
	locator: Locator,
	pattern: RegExp,
	timeoutMs = EDITOR_TIMEOUT_MS,
): Promise<string> {
	return await eventually(
		async () => await locator.innerText(),
		(text) => pattern.test(text),
		`text matching ${String(pattern)}`,
		locator.page(),
		{ timeoutMs },
	);
}

export class Editor {
	constructor(
		readonly page: Page,
		private readonly baseUrl: string,
	) {
		page.setDefaultTimeout(EDITOR_TIMEOUT_MS);
	}

	async signIn(email: string, password: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.getByTestId('emailOrLdapLoginId').locator('input').fill(email);
		await this.page.getByTestId('password').locator('input').fill(password);
		await this.page.getByTestId('form-submit-button').click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	}

	/**
	 * Settings > Community nodes > Install a community node: the package name (`name@version`
	 * for a release other than the newest), the risk box, Install; returns once the page lists
	 * the package (n8n's installer ran npm by then).
	 */
	async installCommunityPackage(name: string, version?: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/settings/community-nodes`);
		await this.page.getByRole('button', { name: 'Install a community node' }).click();
		await this.page
			.getByTestId('package-name-input')
			.fill(version === undefined ? name : `${name}@${version}`);
		await this.page.getByTestId('user-agreement-checkbox').click();
		await this.page.getByTestId('install-community-package-button').click();
		await this.page.getByTestId('community-package-card').filter({ hasText: name }).waitFor();
	}

	/** The package's card in Settings > Community nodes. */
	async communityPackageCard(name: string): Promise<Locator> {
		await this.page.goto(`${this.baseUrl}/settings/community-nodes`);
		return this.page.getByTestId('community-package-card').filter({ hasText: name });
	}

	/** The card's Update, confirmed; returns once the card shows `version`. */
	async updateCommunityPackage(name: string, version: string): Promise<void> {
		const card = await this.communityPackageCard(name);
		await card.getByRole('button', { name: 'Update' }).click();
		await this.page.getByRole('button', { name: 'Confirm update' }).click();
		await textMatching(card, new RegExp(`\\bv${version.replace(/\./g, '\\.')}\\b`));
	}

	/**
	 * The card's menu, Uninstall package, confirmed; returns the confirmation's text (which
	 * says where the package's nodes are used) once the card is gone.
	 */
	async uninstallCommunityPackage(name: string): Promise<string> {
		const card = await this.communityPackageCard(name);
		await card.getByTestId('action-toggle').click();
		await this.page.getByText('Uninstall package').click();
		const confirmation = this.page.getByTestId('communityPackageManageConfirm-modal');
		const text = await confirmation.innerText();
		await confirmation.getByRole('button', { name: 'Confirm uninstall' }).click();
		await card.waitFor({ state: 'detached' });
		return text;
	}

	async openNewWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.getByTestId('canvas-add-button').waitFor();
	}

	async openWorkflow(workflowId: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${workflowId}`);
		await this.page.getByTestId('canvas-node').first().waitFor();
	}

	// The node panel ("node creator")
	nodeCreator(): Locator {
		return this.page.getByTestId('node-creator');
	}

	nodeCreatorItem(text: string): Locator {
		return this.nodeCreator().getByTestId('item-iterator-item').filter({ hasText: text });
	}

	async searchNodePanel(query: string): Promise<void> {
		await this.page.getByTestId('canvas-add-button').click();
		await this.page.getByTestId('node-creator-search-bar').fill(query);
	}

	/**
	 * A new workflow's node panel searched for `query`, the first node found opened: the text of
	 * its trigger list once `lastTrigger` shows.
	 */
	async nodeTriggers(query: string, lastTrigger: RegExp): Promise<string> {
		await this.openNewWorkflow();
		await this.searchNodePanel(query);
		await this.nodeCreatorItem(query).first().click();
		return await textMatching(this.nodeCreator(), lastTrigger);
	}

	/** What the node `nodeName` of a saved workflow says once its community package is gone. */
	async notInstalledNotice(workflowId: string, nodeName: string): Promise<string> {
		await this.openWorkflow(workflowId);
		await this.openNode(nodeName);
		return await textMatching(this.ndv(), /not currently installed/);
	}

	// The node details view ("NDV")
	ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	parameters(): Locator {
		return this.page.getByTestId('node-parameters');
	}

	parameter(name: string): Locator {
		return this.page.getByTestId(`parameter-input-${name}`);
	}

	/** Notices render as alerts among the parameters. */
	notice(text: string): Locator {
		return this.parameters().getByRole('alert').filter({ hasText: text });
	}

	/** Options show their description under the name, so the name is matched as a prefix. */
	async selectOption(parameterName: string, option: string): Promise<void> {
		await this.parameter(parameterName).click();
		await this.page.getByRole('option', { name: new RegExp(`^${option}`) }).click();
	}

	/** Expands "Webhook URLs" (once) and shows the test or production URLs; returns the POST URL shown. */
	async webhookUrl(mode: 'test' | 'production'): Promise<string> {
		const toggle = this.page.getByTestId(`radio-button-${mode}`);
		if (!(await toggle.isVisible())) await this.parameters().getByText('Webhook URLs').click();
		await toggle.click();
		const text = await textMatching(
			this.parameters(),
			mode === 'test' ? /\/webhook-test\// : /\/webhook\/[0-9a-f-]{36}\//,
		);
		const url = /POST\s+(\S+)/.exec(text)?.[1];
		if (url === undefined) throw new Error(`No POST URL among the node parameters:\n${text}`);
		return url;
	}

	credentialSelect(): Locator {
		return this.page.getByTestId('node-credentials-select');
	}

	credentialDialog(): Locator {
		return this.page.getByTestId('editCredential-modal');
	}

	/** With no credential of the type yet, n8n shows a "Connect to ..." button instead of the list. */
	async openNewCredentialDialog(): Promise<void> {
		if (await this.credentialSelect().isVisible()) {
			await this.credentialSelect().click();
			await this.page.getByTestId('node-credentials-select-item-new').click();
		} else {
			await this.page
				.getByTestId('node-credentials-slot')
				.getByRole('button', { name: /^Connect to / })
				.click();
		}
		await this.credentialDialog().getByTestId('credential-save-button').waitFor();
	}

	async saveCredential(fields: Record<string, string>): Promise<void> {
		for (const [name, value] of Object.entries(fields)) {
			await this.credentialDialog()
				.getByTestId(`parameter-input-${name}`)
				.locator('input')
				.fill(value);
		}
		await this.credentialDialog().getByTestId('credential-save-button').click();
	}

	/**
	 * The credential test's message once it matches. n8n shows it folded under "More details",
	 * and may fold it again when the next test runs: unfold it whenever it is folded.
	 */
	async credentialTestMessage(pattern: RegExp): Promise<string> {
		const dialog = this.credentialDialog();
		const moreDetails = dialog.getByText('More details');
		return await eventually(
			async () => await dialog.innerText(),
			(text) => pattern.test(text),
			`a credential test message matching ${String(pattern)}`,
			this.page,
			{
				beforeNextRead: async () => {
					if (await moreDetails.isVisible()) await moreDetails.click().catch(() => undefined);
				},
			},
		);
	}

	/** The credential the node's select shows, once it is `name` (n8n fills it in after the dialog closes). */
	async selectedCredential(name: string): Promise<string> {
		const input = this.credentialSelect().locator('input');
		return await eventually(
			async () => await input.inputValue(),
			(value) => value === name,
			`the credential "${name}" selected on the node`,
			this.page,
		);
	}

	async executeStep(): Promise<void> {
		await this.page.getByTestId('node-execute-button').first().click();
	}

	outputPanel(): Locator {
		return this.page.getByTestId('output-panel');
	}

	async showOutputAs(mode: 'Table' | 'JSON' | 'Schema'): Promise<void> {
		await this.outputPanel().getByRole('radio', { name: mode }).click();
	}

	/** n8n 2.x closes the panel with an ×, 1.x with "Back to canvas". */
	async closeNdv(): Promise<void> {
		await this.page
			.getByTestId('ndv-close-button')
			.or(this.page.getByTestId('back-to-canvas'))
			.click();
		await this.ndv().waitFor({ state: 'hidden' });
	}

	/** Double-clicks a node on the canvas and waits for its panel. */
	async openNode(name: string): Promise<void> {
		await this.page.getByTestId('canvas-node').filter({ hasText: name }).dblclick();
		await this.ndv().waitFor();
	}

	/**
	 * Adds a node after the workflow's only open output (the + at the end of its last node), from
	 * the node panel's search; n8n gives it the node type's current version and opens its panel.
	 */
	async addNodeAfterLast(search: string, item: string): Promise<void> {
		await this.page.getByTestId('canvas-handle-plus').click();
		await this.page.getByTestId('node-creator-search-bar').fill(search);
		await this.nodeCreatorItem(item).first().click();
		await this.ndv().waitFor();
	}

	/**
	 * "Set mock data" in the open node's output panel: pastes the items into the JSON editor and
	 * saves them, which pins them to the node (used by manual runs and the editor only).
	 */
	async setMockData(items: unknown[]): Promise<void> {
		await this.outputPanel().getByText('set mock data').click();
		const editor = this.outputPanel().locator('[contenteditable="true"]');
		await editor.click();
		await editor.fill(JSON.stringify(items, null, 2));
		await this.page
			.getByTestId('run-data-pane-header')
			.locator('button:visible')
			.filter({ hasText: 'Save' })
			.click();
		await textMatching(this.outputPanel(), /This data is pinned/);
	}

	inputPanel(): Locator {
		return this.page.getByTestId('ndv-input-panel');
	}

	/**
	 * A field of the input panel's Schema view that can be dragged into a parameter, by its path
	 * from the item's root (`.netPrice.minorUnits`); n8n writes the path into `data-path`.
	 */
	inputField(path: string): Locator {
		return this.inputPanel().locator(`[data-target="mappable"][data-path="${path}"]`);
	}

	/** The paths of the fields the input panel's Schema view has rendered (the rows in view). */
	async inputFieldPaths(): Promise<string[]> {
		return await this.inputPanel()
			.locator('[data-target="mappable"][data-path]')
			.evaluateAll((fields) => fields.map((field) => field.getAttribute('data-path') ?? ''));
	}

	/** Saves the workflow with the keyboard shortcut, as in both n8n 1.x and 2.x. */
	async saveWorkflow(): Promise<void> {
		await this.page.keyboard.press('ControlOrMeta+s');
	}

	async publish(): Promise<void> {
		await this.page.getByTestId('workflow-open-publish-modal-button').click();
		await this.page.getByTestId('workflow-publish-button').click();
		await this.page.getByTestId('workflow-publish-button').waitFor({ state: 'hidden' });
	}

	async openExecutionsTab(): Promise<void> {
		await this.page.getByTestId('radio-button-executions').click();
	}
}
