import { createContext, useContext } from 'react';
import type { Controller } from './controller.ts';

export const ControllerContext = createContext<Controller | undefined>(undefined);

/** The app's controller; throws outside the app root, where there is none. */
export function useController(): Controller {
  const controller = useContext(ControllerContext);
  if (controller === undefined) throw new Error('useController must be used inside ControllerContext');
  return controller;
}
