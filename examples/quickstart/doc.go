// Command quickstart is a runnable tour of eidkit's foundation: it makes (or
// reloads) demo keys in a data directory, publishes signed IdP metadata with a
// NIAS-style DN entityID, sends a signed AuthnRequest over the HTTP-Redirect
// binding with an eIDAS-grade RSA-PSS signature and checks it the way an IdP
// would, encrypts an assertion with AES-256-GCM and RSA-OAEP, and shows how
// levels of assurance map and compare.
//
// Run it from the repository root:
//
//	go run ./examples/quickstart            # keys in ./eidkit-data
//	go run ./examples/quickstart -data DIR
//
// It covers, end to end, what issue 2 ("Foundation") asks of loa (N8-N12),
// saml/binding, saml/xmlenc and saml/metadata (N2, N23, N24).
package main
