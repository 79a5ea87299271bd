import { singleN8n, triggerSuite } from './trigger-suite';

triggerSuite(singleN8n('1.123.81'));
