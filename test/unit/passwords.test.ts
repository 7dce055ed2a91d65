import { afterEach, describe, expect, it } from 'vitest';
import {
  hashPassword,
  lowerPasswordCostForTests,
  PASSWORD_PARAMS,
  verifyPassword,
} from '../../main/services/passwords';

const params = (hash: string) => hash.split('$').slice(1, 4).map(Number);

describe('password hashes', () => {
  afterEach(() => lowerPasswordCostForTests());

  it('are made at the full cost outside the test setting', async () => {
    lowerPasswordCostForTests(false);
    const hash = await hashPassword('correct horse battery');
    expect(params(hash)).toEqual([PASSWORD_PARAMS.N, PASSWORD_PARAMS.r, PASSWORD_PARAMS.p]);
    expect(PASSWORD_PARAMS.N).toBeGreaterThanOrEqual(2 ** 15);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('are checked with the cost stored in each, whatever new ones are made with', async () => {
    const cheap = await hashPassword('one password');
    expect(params(cheap)[0]).toBeLessThan(PASSWORD_PARAMS.N);
    lowerPasswordCostForTests(false);
    expect(await verifyPassword('one password', cheap)).toBe(true);
    const full = await hashPassword('another password');
    lowerPasswordCostForTests();
    expect(await verifyPassword('another password', full)).toBe(true);
    expect(await verifyPassword('one password', full)).toBe(false);
  });

  it('cannot be made cheaper outside a test run', () => {
    const vitest = process.env.VITEST;
    delete process.env.VITEST;
    try {
      expect(() => lowerPasswordCostForTests()).toThrow(/only in test runs/);
    } finally {
      process.env.VITEST = vitest;
    }
  });
});
