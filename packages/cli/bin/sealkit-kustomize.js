#!/usr/bin/env node
'use strict';
// `sealkit kustomize` under a name of its own: kustomize runs plugins as bare
// executables, with no arguments of sealkit's (a legacy exec plugin is passed
// its config file; an exec KRM function, nothing).
process.argv.splice(2, 0, 'kustomize');
require('./sealkit.js');
