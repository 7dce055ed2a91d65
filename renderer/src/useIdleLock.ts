import { useEffect, useRef } from 'react';
import { call } from './api';

const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const HEARTBEAT_MS = 60_000;
const CHECK_MS = 1_000;

/**
 * Idle auto-lock: after `minutes` without keyboard or pointer input, `onIdle` runs. While the
 * user is active, a throttled heartbeat tells the backend, which enforces the same limit on its
 * own clock. The heartbeat runs at most once a minute, or twice per idle period when that is
 * shorter (with a one-minute limit, a once-a-minute heartbeat would arrive just too late).
 */
export function useIdleLock(active: boolean, minutes: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!active) return;
    const idleMs = Math.max(1, minutes) * 60_000;
    const beatEvery = Math.min(HEARTBEAT_MS, idleMs / 2);
    let lastInput = Date.now();
    let lastBeat = Date.now();
    let fired = false;

    const onInput = () => {
      const now = Date.now();
      lastInput = now;
      if (now - lastBeat >= beatEvery) {
        lastBeat = now;
        // A refusal (locked, signed out) is broadcast by call(); nothing else to do here.
        call('auth.heartbeat', {}).catch(() => undefined);
      }
    };
    for (const name of INPUT_EVENTS) {
      window.addEventListener(name, onInput, { capture: true, passive: true });
    }
    const timer = window.setInterval(() => {
      if (!fired && Date.now() - lastInput >= idleMs) {
        fired = true;
        onIdleRef.current();
      }
    }, CHECK_MS);
    return () => {
      for (const name of INPUT_EVENTS) {
        window.removeEventListener(name, onInput, { capture: true });
      }
      window.clearInterval(timer);
    };
  }, [active, minutes]);
}
