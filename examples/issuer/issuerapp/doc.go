// Package issuerapp is the demo credential issuer behind the issuer
// command (see its documentation): the saml/idp template with a password
// and one-time-code Authenticator, demo users, pages and the e-service
// metadata fetched through saml/partner. It is a package of its own so that
// the end-to-end test in examples/e2e can start it in-process; Serve takes
// a Config (optionally with a ready listener) and Run parses flags.
//
// Covers issue 3 item 4 (runnable examples) with N11, N12 (levels and
// step-up: the second factor is asked only when a request needs LoA high),
// N14 (single logout), N16 and N24; trust per N23.
package issuerapp
