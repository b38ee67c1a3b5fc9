// Package xmlenc encrypts and decrypts SAML elements with W3C XML Encryption
// 1.1, as eIDAS requires for assertions (spec-digest §2.6, §6; landscape.md
// "AES-GCM"): saml:EncryptedAssertion, saml:EncryptedID and
// saml:EncryptedAttribute (SAML core §2.2.4, §2.3.4, §2.7.3.2).
//
// [Encrypter] produces AES-GCM EncryptedData (AES-256-GCM by default) for
// the recipient's encryption certificate from metadata (requirements N2,
// N23). The session key travels by RSA-OAEP (SHA-256 digest, MGF1-SHA256)
// for an RSA certificate, or by ECDH-ES key agreement (ephemeral key,
// ConcatKDF with SHA-256, kw-aes256) for an EC certificate on P-256, P-384 or
// P-521, as the eIDAS profile requires. [Decrypter] reads the same, plus the
// XML Encryption 1.0 rsa-oaep-mgf1p key transport that older peers still
// send, the OpenSAML/Shibboleth layout with the EncryptedKey beside the
// EncryptedData, and, only with [Decrypter.AllowCBC], AES-CBC.
//
// # Failing closed
//
//   - RSA PKCS#1 v1.5 key transport is refused (Bleichenbacher), and CBC is
//     refused unless explicitly allowed (padding oracle); both with
//     [ErrUnsupportedAlgorithm] before any cryptography.
//   - Every other decryption failure returns the same [ErrDecrypt], so the
//     answer is no oracle; the detail goes to [Decrypter.Logger] at debug
//     level.
//   - The plaintext is parsed with saml.ParseXML under [Decrypter.Limits]
//     (no DOCTYPE, bounded size and depth), and must be the element its
//     container announces, so an EncryptedID cannot smuggle in an Assertion.
//   - Sizes are capped: [DefaultMaxCipherBytes], [DefaultMaxEncryptedKeys].
//   - Malformed input never panics (landscape.md: gosaml2's CBC padding
//     panic); FuzzDecrypt checks it.
//
// Only keys configured by the caller are used; KeyInfo in a message only
// carries the wrapped session key or the sender's ephemeral public key
// (checked to lie on its curve), and is never a source of trust.
//
// Interoperability is tested against independent implementations: xmlsec1
// (AES-GCM, AES-CBC, rsa-oaep-mgf1p, rsa-1_5) and Node's WebCrypto (RSA-OAEP
// with SHA-256, ECDH-ES, AES-KW, AES-GCM), in both directions.
package xmlenc
