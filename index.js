// n8n loads this package's nodes and credentials from the paths in package.json's
// "n8n" section, not from this entry point; it exists so `require('n8n-nodes-revops')` works.
module.exports = {};
