/**
 * Every test file: staff passwords hashed at the test cost (main/services/passwords.ts says
 * why). test/unit/passwords.test.ts checks the full cost stays what a console and a server use.
 */
import { lowerPasswordCostForTests } from '../../main/services/passwords';

lowerPasswordCostForTests();
