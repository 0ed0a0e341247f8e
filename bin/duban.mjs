#!/usr/bin/env node
// The `duban` command's entry before it became CommonJS (bin/duban.cjs, package.json "bin"). npx keeps
// the bin path of a checkout it ran the command in before (its cache links node_modules/.bin/duban to
// this file), so such a checkout still finds the command here: the same entry, through Node's ES
// module loader.
import './duban.cjs';
