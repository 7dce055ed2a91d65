// Before `npm start` launches Electron: say plainly when its binary is missing, instead of
// Electron's own attempt to download it (which fails offline with "fetch failed" and advice to
// run a command that fails the same way).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Why Electron cannot start from this node_modules, or null when its binary is there. */
export function electronProblem(electronDir, env = process.env) {
  if (!fs.existsSync(electronDir)) {
    return 'the electron package is not installed (run npm ci first)';
  }
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return fs.existsSync(binary)
      ? null
      : `ELECTRON_OVERRIDE_DIST_PATH names ${binary}, which does not exist`;
  }
  if (relative && fs.existsSync(path.join(electronDir, 'dist', relative))) return null;
  return "Electron's binary was not downloaded when npm ci ran (no internet, or ELECTRON_SKIP_BINARY_DOWNLOAD was set)";
}

const HELP = `
To run the app, fetch the binary on a machine that reaches Electron's downloads:
  node node_modules/electron/install.js
or point ELECTRON_MIRROR at a mirror you can reach and run the same command.
Electron 45 itself needs Node.js >= 22.12 to install.

Without it, the command line and the tests work as they are:
  npm run cli -- --help
  npm test
`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = path.resolve('node_modules', 'electron');
  const problem = electronProblem(dir);
  if (problem) {
    process.stderr.write(`Custodian cannot start its window: ${problem}.\n${HELP}`);
    process.exit(1);
  }
}
