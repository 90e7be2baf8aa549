/** The main process's entry point (the build's out/main/index.js): start the app. */
import { main } from './index.ts';

await main();
