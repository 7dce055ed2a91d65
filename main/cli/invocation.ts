/**
 * How the person started the command line, so that every hint can be pasted back as it is:
 * `npm run cli -- …` in a checkout (npm runs the "cli" script), `custodian …` once installed.
 */
export function invocationOf(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === 'cli' ? 'npm run cli --' : 'custodian';
}

/**
 * The options npm took for itself: `npm run cli init --database X` without `--` hands npm the
 * `--database` flag (it appears to the script only as npm_config_database) and the program
 * only `init X`. Returns the flags of `names` that npm read, e.g. ['--database'].
 */
export function optionsEatenByNpm(env: NodeJS.ProcessEnv, names: Iterable<string>): string[] {
  if (env.npm_lifecycle_event !== 'cli') return [];
  const eaten = new Set<string>();
  for (const name of names) {
    const value = env[`npm_config_${name.replace(/^--/, '').replace(/-/g, '_')}`];
    // npm exports some of its own settings empty (npm_config_yes=''); a flag it read is 'true'
    // or the value after `=`.
    if (value !== undefined && value !== '') eaten.add(name);
  }
  return [...eaten];
}
