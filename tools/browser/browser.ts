/**
 * playwright-core driving the Chromium from `@sparticuz/chromium` (see chromium.ts).
 * Selectors use n8n's `data-test-id` attributes through `page.getByTestId`.
 */
import { chromium, selectors, type Browser } from 'playwright-core';

import { ensureChromium } from './chromium';

export async function launchChromium(
	log: (line: string) => void = () => undefined,
): Promise<Browser> {
	const binary = await ensureChromium(log);
	selectors.setTestIdAttribute('data-test-id');
	const startedAt = Date.now();
	const browser = await chromium.launch({
		executablePath: binary.executablePath,
		headless: true,
		// Tests run as root on these machines; Chromium's sandbox refuses to start as root.
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
		env: { ...process.env, ...binary.env },
	});
	log(
		`Chromium ${browser.version()} (${binary.executablePath}) launched in ${Date.now() - startedAt} ms`,
	);
	return browser;
}
