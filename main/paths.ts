import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Custodian';
export const DATABASE_FILE = 'custodian.sqlite';

/**
 * The app's user-data folder, as Electron's app.getPath('userData') gives it, so that the CLI
 * and the window open the same database without Electron being loaded.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CUSTODIAN_DB ?? path.join(userDataDir(env), DATABASE_FILE);
}

/** Exports land in a folder of their own under the user's home, never chosen by the renderer. */
export function defaultExportDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CUSTODIAN_EXPORT_DIR ?? path.join(os.homedir(), 'Custodian exports');
}

/**
 * Where the signed heads of the disclosure log are witnessed: a folder apart from the database's
 * (Linux: the XDG state folder; Windows: the local, not roaming, app data; macOS: a folder of its
 * own), so that replacing or rolling back the database folder does not take the witness with it.
 */
export function defaultWitnessDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.CUSTODIAN_WITNESS_DIR) return env.CUSTODIAN_WITNESS_DIR;
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(
      env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'),
      PRODUCT_NAME,
      'audit-witness',
    );
  if (platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', `${PRODUCT_NAME} Audit Witness`);
  return path.join(
    env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'),
    PRODUCT_NAME,
    'audit-witness',
  );
}
