#!/usr/bin/env node
// `bglint lsp` loads the language server's bundle alone, not the command line's as well (each holds the engine).
if (process.argv[2] === 'lsp') require("../dist/language-server.js").startLanguageServer();
else require("../dist/cli.js").main();
