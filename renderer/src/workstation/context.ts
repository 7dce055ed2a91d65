import { createContext, useContext } from 'react';
import type { WorkstationStatus } from '../../../shared/workstation';

export interface WorkstationContextValue {
  status: WorkstationStatus;
  /** Opens the enrolment screen over the console (the team server refused this workstation). */
  setUpTeam(): void;
  /** The workstation now uses another database: everything the console holds is dropped. */
  switched(status: WorkstationStatus): void;
}

export const WorkstationContext = createContext<WorkstationContextValue | null>(null);

export function useWorkstation(): WorkstationContextValue {
  const value = useContext(WorkstationContext);
  if (!value) throw new Error('useWorkstation outside the WorkstationGate');
  return value;
}
