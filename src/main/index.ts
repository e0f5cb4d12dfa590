/** Electron entry point: everything real lives in shell/ (Electron) and the engine (plain Node). */
import { startApp } from './shell/start';

startApp(__dirname);
