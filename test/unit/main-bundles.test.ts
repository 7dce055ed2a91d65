// The bundles of scripts/build-main.mjs, built into a temporary folder: the app's bundle carries
// neither the seeder nor its fake-data library (a devDependency, so electron-builder does not pack
// it); the CLI's bundle leaves that library to node_modules, where a checkout has it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const FAKER = '@faker-js/faker';
let outdir: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-bundles-'));
  execFileSync(
    process.execPath,
    ['scripts/build-main.mjs', '--quiet', '--metafile', '--outdir', outdir],
    { stdio: 'pipe' },
  );
}, 60_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const meta = (name: string): Metafile =>
  JSON.parse(fs.readFileSync(path.join(outdir, `${name}.meta.json`), 'utf8')) as Metafile;

const importsOf = (metafile: Metafile) =>
  Object.values(metafile.outputs).flatMap((output) => output.imports);

describe('main bundles', () => {
  it('keep the fake-data library a devDependency', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain(FAKER);
    expect(Object.keys(pkg.devDependencies)).toContain(FAKER);
  });

  it('build the app without the seeder or faker', () => {
    const electron = meta('electron');
    const inputs = Object.keys(electron.inputs);
    expect(inputs).toContain('main/electron/main.ts');
    expect(inputs.filter((file) => /services\/seed|faker/.test(file))).toEqual([]);
    expect(importsOf(electron).filter((i) => i.path.includes(FAKER))).toEqual([]);
    const code = fs.readFileSync(path.join(outdir, 'electron.cjs'), 'utf8');
    expect(code).not.toMatch(/require\(["']@faker-js/);
  });

  it('leave faker external to the CLI, which loads the seeder only for seed', () => {
    const cli = meta('cli');
    expect(Object.keys(cli.inputs)).toContain('main/services/seed.ts');
    expect(Object.keys(cli.inputs).filter((file) => file.includes('node_modules'))).toEqual([]);
    expect(importsOf(cli)).toContainEqual(expect.objectContaining({ path: FAKER, external: true }));
  });
});
