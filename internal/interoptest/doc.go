// Package interoptest is the shared switch for eidkit's interoperability
// tests, which check our output with independent implementations (xmlsec1,
// Node's WebCrypto, ...) and theirs with our code (issue 2: "interoperability,
// not self-consistency"). A test asks for an external tool with
// [RequireTool]: when the tool is missing the test is skipped, unless the
// environment variable EIDKIT_REQUIRE_INTEROP=1 is set, as CI (.ci/run) does,
// in which case it fails.
//
// It is imported only by _test.go files.
package interoptest
