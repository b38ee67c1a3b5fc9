// Package eserviceapp is the demo e-service behind the eservice command
// (see its documentation): the saml/sp template with pages guarded by
// SP.RequireLoA, a profile page and single logout, and the issuer metadata
// fetched through saml/partner. It is a package of its own so that the
// end-to-end test in examples/e2e can start it in-process; Serve takes a
// Config (optionally with a ready listener) and Run parses flags.
//
// Covers issue 3 item 4 (runnable examples) with N11 (a higher level than
// asked is admitted), N12 (step-up), N14 (single logout), N16 (session
// length chosen by the e-service) and N24; trust per N23.
package eserviceapp
