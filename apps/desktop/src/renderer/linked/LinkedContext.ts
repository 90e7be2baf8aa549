import { createContext, useContext } from 'react';
import { tandem } from '../bridge.ts';
import { createLinkedController, type LinkedController } from './controller.ts';

/**
 * The app's bridge by default (it connects on first call, so creating this has no effect);
 * a test or another root may provide its own.
 */
export const LinkedControllerContext = createContext<LinkedController>(createLinkedController(tandem));

export const useLinkedController = (): LinkedController => useContext(LinkedControllerContext);
