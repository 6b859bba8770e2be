/** Electron composition root (DESIGN.md): the engine, the window and the IPC bridge. */
import { startElectronApp } from './shells/electron/app.ts';

startElectronApp();
