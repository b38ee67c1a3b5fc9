// Package e2e holds the end-to-end test of the runnable examples (issue 3,
// "Proof"): it starts examples/issuer and examples/eservice in-process on
// loopback with ephemeral ports and temporary data directories, and drives
// them over real HTTP with a cookie jar as a browser without JavaScript
// would: login at LoA substantial, the profile, step-up to high with a
// one-time code (N11, N12), single logout started at either side (N14),
// and the refusals of a wrong password, too many of them, a forged form
// token, a cancelled sign-in, a level the user cannot reach, a replayed
// response and an off-site return path. The examples trust each other's
// metadata by the certificate files in each other's data directory; one
// test runs the explicit unsigned development fallback instead.
//
// Both examples' console output is logged when a test fails, or always with
// E2E_LOG=1 in the environment. The package has no non-test code; this file
// only lets it build.
package e2e
