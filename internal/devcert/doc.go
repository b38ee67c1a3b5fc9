// Package devcert loads or creates the key pairs eidkit's runnable examples
// use: on first run a key and a self-signed certificate are generated into a
// data directory as PEM files; later runs load them, so metadata exchanged
// between the examples stays valid across restarts (issue 3: "keys and
// certificates generated on first run into a data directory").
//
// It is for development and demonstrations only: production keys come from
// the operator's key management, and their certificates from the CA that the
// federation trusts (N23).
package devcert
