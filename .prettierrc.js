// The settings of n8n's community node starter, so code reads the same as n8n's own nodes.
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
	// Workflow files are indented as n8n exports them.
	overrides: [{ files: 'examples/*.json', options: { useTabs: false } }],
};
