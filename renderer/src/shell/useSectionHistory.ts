import { useCallback, useState } from 'react';
import type { Section } from '../navigation';

/** Screens remembered for Alt+Left / Alt+Right, as a browser remembers pages. */
const DEPTH = 50;

interface History {
  visited: Section[];
  at: number;
}

/**
 * The screen shown and the screens visited: `show` goes to a screen (dropping the ones ahead of
 * it, as a browser does), `back` and `forward` walk the visited ones without recording a visit.
 */
export function useSectionHistory(first: Section) {
  const [history, setHistory] = useState<History>({ visited: [first], at: 0 });
  const show = useCallback((next: Section) => {
    setHistory((h) => {
      if (h.visited[h.at] === next) return h;
      const visited = [...h.visited.slice(0, h.at + 1), next].slice(-DEPTH);
      return { visited, at: visited.length - 1 };
    });
  }, []);
  const step = useCallback((by: -1 | 1) => {
    setHistory((h) => {
      const at = h.at + by;
      return at < 0 || at >= h.visited.length ? h : { ...h, at };
    });
  }, []);
  const back = useCallback(() => step(-1), [step]);
  const forward = useCallback(() => step(1), [step]);
  return { section: history.visited[history.at]!, show, back, forward };
}
