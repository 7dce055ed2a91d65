/**
 * Crash points for the crash-safety tests: a test process sets CUSTODIAN_TEST_FAULT to a point's
 * name and is killed there, as a power cut would. Unset, these do nothing.
 */
export type FaultPoint = 'after-record' | 'after-publish';

export function faultPoint(name: FaultPoint): void {
  if (process.env.CUSTODIAN_TEST_FAULT === name) process.kill(process.pid, 'SIGKILL');
}
