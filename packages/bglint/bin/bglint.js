#!/usr/bin/env node
// `bglint lsp` loads the language server's bundle alone, not the command line's as well (each holds the engine).
// The command's bundle comes through a V8 code cache (compile-cache.js); for the language server one did
// not pay (docs/benchmarks.md), and the server sets V8 flags as it starts, which would make V8 reject it.
if (process.argv[2] === 'lsp') require('../dist/language-server.js').startLanguageServer();
else require('./compile-cache.js').loadBundle('cli.js').main();
