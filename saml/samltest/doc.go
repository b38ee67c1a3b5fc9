// Package samltest provides utilities for testing code built on eidkit's
// saml packages, in the way net/http/httptest serves net/http: key pairs and
// self-signed certificates for every algorithm family national eID uses
// (RSA 2048/3072, ECDSA P-256/384/521), with subjects that may be X.509
// distinguished names as NIAS entityIDs are (spec-digest §4.1).
//
// Nothing here is meant for production keys: certificates are self-signed and
// generated on demand.
package samltest
