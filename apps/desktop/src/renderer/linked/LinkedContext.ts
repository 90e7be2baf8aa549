import { createContext, useContext } from 'react';
import type { LinkedController } from './controller.ts';

/** Provided by the composition root (`main.tsx`) with `createLinkedController(client)`. */
export const LinkedControllerContext = createContext<LinkedController | undefined>(undefined);

export function useLinkedController(): LinkedController {
  const controller = useContext(LinkedControllerContext);
  if (controller === undefined) throw new Error('useLinkedController must be used inside LinkedControllerContext');
  return controller;
}
