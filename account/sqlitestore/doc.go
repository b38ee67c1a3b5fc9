// Package sqlitestore is the embedded account.Store: one SQLite file,
// pure Go (modernc.org/sqlite), migrations applied on Open.
//
// Writes are serialised: the store holds one connection and every
// transaction starts with BEGIN IMMEDIATE, with a busy timeout so several
// processes can share the file. Use account/pgstore when several servers
// write at once.
package sqlitestore
