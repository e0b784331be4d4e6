#!/usr/bin/env node
import '../dist/sealkit-controller.mjs';
