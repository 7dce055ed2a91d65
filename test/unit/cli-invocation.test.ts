// The command line's hints name the command as it was started: `custodian …` once installed,
// `npm run cli -- …` in a checkout; and `npm run cli <command> --option` (the `--` forgotten, so
// npm keeps the option) is refused with the reason instead of running without the option.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../main/cli/run';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cli-invocation-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const stdin = new PassThrough();
  stdin.end('');
  const stdout = new Collect();
  const stderr = new Collect();
  const home = path.join(work, 'home');
  const code = await run(args, { stdin, stdout, stderr, env: { HOME: home, ...env }, cwd: work });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const NPM = { npm_lifecycle_event: 'cli', npm_config_yes: '' };
const missing = () => path.join(work, 'nope.sqlite');

describe('hints', () => {
  it('say custodian when installed', async () => {
    const r = await cli(['migrate', '--database', missing()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Create it first with: custodian init --database ${missing()}`);
    const usage = await cli(['seed', '--acounts', '5']);
    expect(usage.stderr).toContain("Run 'custodian seed --help' for usage.");
  });

  it('say npm run cli -- in a checkout', async () => {
    const r = await cli(['migrate', '--database', missing()], NPM);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Create it first with: npm run cli -- init --database ${missing()}`);
    const usage = await cli(['seed', '--acounts', '5'], NPM);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Run 'npm run cli -- seed --help' for usage.");
    const help = await cli(['--help'], NPM);
    expect(help.stdout).toContain('Usage: npm run cli -- [--database FILE] <command>');
  });
});

describe('npm run cli without --', () => {
  it('refuses a command whose options npm kept, naming them', async () => {
    const file = path.join(work, 'x.sqlite');
    const r = await cli(['init', file], { ...NPM, npm_config_database: 'true' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('npm took --database for itself');
    expect(r.stderr).toContain('npm run cli -- <command>');
    expect(fs.existsSync(file)).toBe(false);
    const two = await cli(['import', 'a.csv'], {
      ...NPM,
      npm_config_yes: 'true',
      npm_config_dry_run: 'true',
    });
    expect(two.stderr).toContain('npm took --dry-run, --yes for itself');
  });

  it('ignores npm settings outside npm run cli', async () => {
    const r = await cli(['seed', '--acounts', '5'], { npm_config_database: 'true' });
    expect(r.stderr).not.toContain('npm took');
  });
});
