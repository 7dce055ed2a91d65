import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script, without type declarations
import { electronProblem } from '../../scripts/check-electron.mjs';

const check = electronProblem as (dir: string, env?: Record<string, string>) => string | null;
let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fake node_modules/electron: with path.txt naming the binary, and the binary if asked. */
function fakeElectron(opts: { pathTxt?: string; binary?: boolean }): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-electron-'));
  const electron = path.join(dir, 'electron');
  fs.mkdirSync(path.join(electron, 'dist'), { recursive: true });
  if (opts.pathTxt) fs.writeFileSync(path.join(electron, 'path.txt'), opts.pathTxt);
  if (opts.binary) fs.writeFileSync(path.join(electron, 'dist', opts.pathTxt ?? 'electron'), '');
  return electron;
}

describe('npm start says what is missing before launching Electron', () => {
  it('a downloaded binary: nothing to say', () => {
    expect(check(fakeElectron({ pathTxt: 'electron', binary: true }), {})).toBeNull();
  });
  it('no binary (skipped or failed download): says so', () => {
    expect(check(fakeElectron({}), {})).toMatch(/binary was not downloaded/);
    expect(check(fakeElectron({ pathTxt: 'electron' }), {})).toMatch(/not downloaded/);
  });
  it('no electron package at all', () => {
    fakeElectron({});
    expect(check(path.join(dir, 'missing'), {})).toMatch(/not installed \(run npm ci first\)/);
  });
  it('an override that names a missing binary is named', () => {
    const e = fakeElectron({ pathTxt: 'electron' });
    expect(check(e, { ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'nowhere') })).toMatch(
      /ELECTRON_OVERRIDE_DIST_PATH names .*nowhere/,
    );
  });
});
