// Package dsig signs and verifies SAML messages with enveloped XML
// Signatures (XML-DSig 1.1, SAMLCore §5) and raw byte signatures (the
// HTTP-Redirect binding, SAMLBind §3.4.4.1).
//
// Algorithms: RSA PKCS#1 v1.5, RSASSA-PSS (RFC 6931 MGF1 URIs, salt length =
// hash length) and ECDSA on P-256/P-384/P-521 in the r||s form XML-DSig
// requires, each with SHA-256/384/512. SHA-1 and HMAC are refused unless a
// Policy explicitly allows SHA-1; EIDASPolicy restricts to PSS and ECDSA with
// RSA keys of at least 3072 bits (eIDAS crypto profile, spec-digest §2.5).
//
// Verification is strict by construction (landscape.md attack classes): the
// ds:Signature must be the single direct child of the element being verified,
// carry exactly one Reference whose URI is "#" + that element's own unique
// ID, use exactly the enveloped-signature and exclusive-c14n (no comments)
// transforms, and verify under one of the Verifier's configured
// certificates. Keys in KeyInfo are never trusted (N23: trust comes from
// certificates exchanged before integration). The digest is computed over
// the very element passed in, never over an element found by ID, so
// signature-wrapping (XSW1-8) cannot move the signed content elsewhere.
//
// Canonicalisation is this package's own exclusive XML canonicalisation
// (http://www.w3.org/2001/10/xml-exc-c14n#, InclusiveNamespaces PrefixList
// supported) that walks the etree tree once and streams into the hash. Its
// output is tested equal to goxmldsig's on a corpus of tricky inputs and by
// differential fuzzing, except where goxmldsig deviates from the
// specification (it renders a superfluous xmlns="" on the apex element);
// xmlsec1 verifies signatures over the whole corpus. goxmldsig itself is
// not used at run time: it deep-copies and re-serialises the tree (many
// times the raw RSA verify on a 5 KB assertion), has no RSA-PSS and writes
// ECDSA values as ASN.1 instead of r||s (goxmldsig #163).
//
// Signed documents must be serialised with etree's CanonicalText and
// CanonicalAttrVal write settings; see Signer.Sign.
//
// Limits: RSA keys up to MaxRSABits, signature values up to MaxRSABits/8
// bytes, at most MaxInclusivePrefixes InclusiveNamespaces prefixes, base64
// texts up to 64 KiB, at most 8 KeyInfo certificates read as hints. The
// size and depth of the XML itself are bounded by saml.ParseXML, which all
// outside input must go through before Verify.
//
// Requirements covered: N2, N23 (SAML messages and certificate-based trust),
// the eIDAS signature profile, and the signature attack classes of
// landscape.md.
package dsig
