// Package saml holds the SAML 2.0 message types of eidkit, the safe XML parser
// every other saml package reads outside input with, and the SAML status codes.
//
// Every party talks to the broker with SAML 2.0 XML messages (requirement N2):
// AuthnRequest, Response with Assertion, and the single sign-out pair
// LogoutRequest/LogoutResponse (N14, spec-digest §5.4). Messages are Go structs
// with exported fields; each has an Element method that builds the XML with
// etree and a ParseXxx function that reads it back by namespace URI and local
// name, never by prefix.
//
// # Safe parsing
//
// [ParseXML] is the only entry point for XML that comes from outside. It
// tokenises the input once with encoding/xml and builds the etree tree in the
// same pass, enforcing [Limits] (size, depth, attributes per element, total
// elements) as it goes. It refuses DOCTYPE and every other directive,
// processing instructions other than the XML declaration, non-UTF-8
// encodings, duplicate attributes, undeclared prefixes, misuse of the xml and
// xmlns prefixes and any name that does not survive an encoding/xml round trip
// (CVE-2020-29509, CVE-2020-29510, CVE-2020-29511; landscape.md "Go
// encoding/xml round-trip inputs").
//
// [Text] reads the whole text content of an element, so that comment and
// CDATA splits inside a NameID or attribute value read exactly as the
// canonical form a signature covers (the comment-injection class).
//
// # Structure checks
//
// Parsing enforces what the SAML core schema requires of a message (spec-digest
// §5.4, §5.5): Version "2.0" ([ErrVersion]), required attributes present
// ([FieldError]), exactly one of BaseID/NameID/EncryptedID in a LogoutRequest,
// and no duplicate ID attribute anywhere in one document ([ErrDuplicateID] via
// [CheckUniqueIDs], a signature-wrapping defence). A Response may carry plain
// and encrypted assertions side by side; both are exposed with their counts.
// Every parsed message keeps its element in Raw for signature checking, and
// raw elements (Extensions, encrypted parts, unknown conditions) for the
// layers that understand them. Policy checks (audience, time windows,
// signatures, replay, how many assertions are acceptable) belong to the SP
// and IdP layers.
//
// # Building
//
// Element methods emit children in schema order (Issuer, then the slot
// saml/dsig signs into, then Extensions, ...), declare the samlp and saml
// prefixes on the root, and write times as xs:dateTime in UTC with
// millisecond precision ([FormatTime]). [NewID] makes xs:ID values from an
// injectable random source.
//
// # Status codes
//
// All top-level and second-level status codes of SAML core §3.2.2.2
// (spec-digest §5.5) and STORK QAANotSupported (§3.1) are constants;
// [StatusError] carries a non-success status as a Go error that matches
// sentinels such as [ErrStatusRequestDenied] through errors.Is.
package saml
