#!/usr/bin/env node
// `bglint lsp` loads the language server's bundle alone, not the command line's as well (each holds the engine).
// Both through a V8 code cache (compile-cache.js); the server's is written as it loads, before it sets V8 flags.
const { loadBundle } = require('./compile-cache.js');
if (process.argv[2] === 'lsp') loadBundle('language-server.js', 'load').startLanguageServer();
else loadBundle('cli.js').main();
