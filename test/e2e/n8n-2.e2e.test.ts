import { NODE_VERSIONS } from '../../tools/n8n/workflows';
import { singleN8n, triggerSuite } from './trigger-suite';

const n8n = singleN8n('2.41.1', 'IPv6');
for (const nodeVersion of NODE_VERSIONS) triggerSuite(n8n, nodeVersion);
