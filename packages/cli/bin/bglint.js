#!/usr/bin/env node
// `bglint lsp` loads the language server alone: not the command line's formatters, nor its modules twice.
if (process.argv[2] === 'lsp') require("../dist/language-server.js").startLanguageServer();
else require("../dist/main.js").main();
