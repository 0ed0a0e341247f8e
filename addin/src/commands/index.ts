// The function file's script (commands.html): registers the ribbon's commands once Office is ready.
import { browserEnv } from '../env.js';
import { registerRibbon } from './ribbon.js';

// On an old host (Trident/EdgeHTML) commands.html's ES5 fallback answers the buttons instead.
if (!(globalThis as { __dubanOldHost?: string }).__dubanOldHost) {
  Office.onReady(() => {
    registerRibbon(
      (name, action) => Office.actions.associate(name, action),
      () => browserEnv(window),
    );
  });
}
