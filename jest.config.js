/** Unit tests run against the TypeScript sources; end-to-end tests drive a real n8n. */
const typescript = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] };

module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform: typescript,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
	],
};
