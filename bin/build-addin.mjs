#!/usr/bin/env node
// `npm run build` part two: bundles the add-in (task pane + ribbon commands) into addin/dist/.
import { register } from 'tsx/esm/api';

register();
const { buildAddin } = await import('../addin/build.ts');
const result = await buildAddin({ minify: true });
console.log(`add-in built: ${JSON.stringify(result)}`);
