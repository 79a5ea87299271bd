import { triggerSuite } from './trigger-suite';

triggerSuite('2.41.1');
