// Package xmlutil holds the small XML helpers that eidkit's foundation
// packages (saml/binding, saml/xmlenc, saml/metadata) would otherwise each
// write again: resolving a namespace prefix in an element's scope, dropping
// a byte order mark and XML declaration before a document is embedded in
// another, and decoding base64 element text (XML whitespace allowed, size
// capped before decoding).
//
// It is a leaf package: it imports only etree and the standard library, and
// holds no state. The helpers enforce the bounds the callers document
// (requirement N2: SAML 2.0 XML messages; landscape.md: bounded input, no
// panics on malformed input).
package xmlutil
