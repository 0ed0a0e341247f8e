// The function file's script (commands.html): registers the ribbon's commands once Office is ready.
import { browserEnv } from '../env.js';
import { registerRibbon } from './ribbon.js';

Office.onReady(() => {
  registerRibbon(
    (name, action) => Office.actions.associate(name, action),
    () => browserEnv(window),
  );
});
