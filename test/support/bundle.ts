import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a TypeScript entry (a child process a test kills, or the CLI) to run with node, inside
 * the project so that its external packages resolve from node_modules. Each test file gets its
 * own bundle (named by `name` and the worker's pid): another file or run may rebuild a shared one
 * meanwhile.
 */
export async function bundleForTest(
  entry: string,
  name: string,
  options: { banner?: string } = {},
): Promise<string> {
  const outfile = path.resolve(`node_modules/.cache/custodian-test/${name}-${process.pid}.cjs`);
  await build({
    entryPoints: [path.resolve(entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'error',
    ...(options.banner ? { banner: { js: options.banner } } : {}),
  });
  return outfile;
}
