import { singleN8n, triggerSuite } from './trigger-suite';

triggerSuite(singleN8n('2.41.1'));
