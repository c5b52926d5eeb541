// electron-builder's afterPack hook: on Linux, the libraries native modules take from the build machine are copied
// in beside them (see native-libs.cjs), so the package starts on machines without them.
'use strict';
const path = require('node:path');
const { bundleLibraries } = require('./native-libs.cjs');

exports.default = async function afterPack(context) {
  if (context.electronPlatformName !== 'linux') return;
  const unpacked = path.join(context.appOutDir, 'resources', 'app.asar.unpacked');
  bundleLibraries(unpacked, (line) => console.log(`  • ${line}`));
};
