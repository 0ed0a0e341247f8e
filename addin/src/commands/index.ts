// The function file's script (commands.html): registers the ribbon's commands once Office is ready.
import { browserEnv } from '../env.js';
import { registerRibbon } from './ribbon.js';

// As in Office-Addin-TaskPane's commands.ts: the actions are associated at the script's top level
// (office.js is loaded before this script), so no click can arrive before they are; onReady only
// initialises. On an old host (Trident/EdgeHTML) commands.html's ES5 fallback answers the buttons.
if (!(globalThis as { __dubanOldHost?: string }).__dubanOldHost) {
  registerRibbon(
    (name, action) => Office.actions.associate(name, action),
    () => browserEnv(window),
  );
  void Office.onReady(() => undefined);
}
