// The result types come from @bglint/core's public index; this one line keeps every formatter's
// import in a single place while core's exports settle.
export type * from '@bglint/core';
