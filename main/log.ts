/**
 * The process log. It takes a message and a small record of non-personal facts (codes, ids,
 * counts); callers never pass customer values, passwords, sessions or SQL text to it.
 */
export interface Logger {
  info(message: string, facts?: Record<string, unknown>): void;
  error(message: string, facts?: Record<string, unknown>): void;
}

export function consoleLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, message: string, facts?: Record<string, unknown>) => {
    stream.write(`${JSON.stringify({ t: new Date().toISOString(), level, message, ...facts })}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { info: () => {}, error: () => {} };

/**
 * The log of a running process: JSON lines on stderr, or nothing with CUSTODIAN_LOG=off (the test
 * run sets it, so that refusals the tests provoke on purpose do not bury what a reader needs).
 */
export function processLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  return env.CUSTODIAN_LOG === 'off' ? silentLogger : consoleLogger();
}
