// Jest transform: strip TypeScript types with Node's own stripper, the same one
// that runs the service (`node src/main.ts`). Types become whitespace, so line
// and column numbers stay exact and no source map is needed.
const { stripTypeScriptTypes } = require('node:module');

module.exports = {
  process(source, filename) {
    return { code: filename.endsWith('.ts') ? stripTypeScriptTypes(source) : source };
  },
};
